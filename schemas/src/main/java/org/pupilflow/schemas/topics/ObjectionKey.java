package org.pupilflow.schemas.topics;

import java.util.Optional;

/**
 * The key of an objection on the compacted objections topic: the pupil's UPN and the objection's
 * id, encoded {@code <UPN>/<objectionId>}. The UPN comes first so that all of a pupil's objections
 * are one prefix scan ({@link #prefixOf}); it cannot contain a slash, so the first slash separates.
 */
public record ObjectionKey(String upn, String objectionId) {

    private static final char SEPARATOR = '/';

    public ObjectionKey {
        if (upn == null || upn.isEmpty() || upn.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("an objection key needs a UPN without '/', was '" + upn + "'");
        }
        if (objectionId == null || objectionId.isEmpty()) {
            throw new IllegalArgumentException("an objection key needs an objection id");
        }
    }

    /** The key as it is written to the topic. */
    public String encode() {
        return upn + SEPARATOR + objectionId;
    }

    /** The key of a record read from the topic, or empty when it is not an objection key. */
    public static Optional<ObjectionKey> parse(String key) {
        int slash = key == null ? -1 : key.indexOf(SEPARATOR);
        if (slash <= 0 || slash == key.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ObjectionKey(key.substring(0, slash), key.substring(slash + 1)));
    }

    /** The prefix every key of this pupil's objections starts with. */
    public static String prefixOf(String upn) {
        return upn + SEPARATOR;
    }

    @Override
    public String toString() {
        return encode();
    }
}
