-- Contract release 3 (issue 18, unlinkable pseudonyms): the version of the pseudonymisation master key a
-- pseudonymised recipient's pseudonym was derived from. Existing rows are not touched (no UPDATE: the append-only
-- triggers would refuse it, and their canonical bytes must stay as they are): they read as NULL, which is what their
-- version-1 and version-2 canonical bytes decode to, so they still verify. Rows with a key version are encoded as
-- canonical version 3, which covers it (DisclosureCodec).
ALTER TABLE disclosure ADD COLUMN pseudonym_key_version integer CHECK (pseudonym_key_version >= 1);
