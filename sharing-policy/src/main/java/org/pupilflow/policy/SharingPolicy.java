package org.pupilflow.policy;

import java.util.List;
import java.util.Optional;

/**
 * An LA's privacy notice as data: who receives which census units about which pupils, why,
 * on what legal basis, and what an objection does. Loaded and validated by
 * {@link org.pupilflow.policy.load.PolicyLoader}; evaluated by
 * {@link org.pupilflow.policy.decide.SharingEngine}.
 *
 * @param id             stable identifier, e.g. {@code norfolk-census-sharing}
 * @param version        the LA's version label; with {@code contentHash} it identifies exactly what a decision applied
 * @param localAuthority DfE LA number of the LA whose notice this is; null for a national controller (DfE)
 * @param controller     the data controller, as named in the notice
 * @param title          heading of the rendered notice
 * @param sources        documents the rules come from (privacy notices, agreements)
 * @param recipients     one rule per recipient, in notice order
 * @param retention      how long the controller keeps records about pupils, by category
 * @param contentHash    SHA-256 (hex) of the policy file's bytes; set by the loader
 */
public record SharingPolicy(String id, String version, String localAuthority, String controller, String title,
                            List<String> sources, List<RecipientRule> recipients, List<RetentionRule> retention, String contentHash) {

    public SharingPolicy {
        sources = sources == null ? List.of() : List.copyOf(sources);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        retention = retention == null ? List.of() : List.copyOf(retention);
    }

    public Optional<RecipientRule> recipient(String recipientId) {
        return recipients.stream().filter(r -> r.id().equals(recipientId)).findFirst();
    }

}
