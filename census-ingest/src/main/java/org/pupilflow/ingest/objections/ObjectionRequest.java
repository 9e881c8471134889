package org.pupilflow.ingest.objections;

import java.time.LocalDate;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.pupilflow.census.ObjectionRaisedBy;

/**
 * An objection as recorded by LA staff.
 *
 * @param scope       a recipient id of the LA's policy, or {@code all}
 * @param dateOfBirth the pupil's date of birth when known: then who may object is checked against the policy
 */
public record ObjectionRequest(@NotBlank String upn, @NotBlank String scope, @NotNull ObjectionRaisedBy raisedBy,
                               @NotNull LocalDate receivedDate, @NotBlank String evidenceReference, LocalDate dateOfBirth) {
}
