package org.pupilflow.policy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an objection to a recipient does, and who may raise one.
 *
 * @param effect                    not-applicable (statutory sharing), withhold, or restrict
 * @param restrictTo                for {@code restrict}: the census units still sent (a subset of the rule's fields)
 * @param parentMayObjectBelowAge   a parent's objection counts only if received before the pupil reached this age; null = any age
 * @param pupilMayObjectFromAge     a pupil's own objection counts only if received at or after this age; null = pupils cannot object
 * @param parentObjectionLapsesAtAge a parent's objection stops applying once the pupil reaches this age; null = it stands until withdrawn
 */
public record ObjectionRule(Effect effect, List<String> restrictTo, Integer parentMayObjectBelowAge,
                            Integer pupilMayObjectFromAge, Integer parentObjectionLapsesAtAge) {

    public static final ObjectionRule NOT_APPLICABLE = new ObjectionRule(Effect.NOT_APPLICABLE, null, null, null, null);

    public ObjectionRule {
        effect = effect == null ? Effect.NOT_APPLICABLE : effect;
        restrictTo = restrictTo == null ? List.of() : List.copyOf(restrictTo);
    }

    public enum Effect {
        /** Statutory sharing: an objection is recorded in the audit event but does not stop the disclosure. */
        @JsonProperty("not-applicable")
        NOT_APPLICABLE,
        /** Nothing is sent. */
        @JsonProperty("withhold")
        WITHHOLD,
        /** Only {@code restrictTo} is sent. */
        @JsonProperty("restrict")
        RESTRICT
    }
}
