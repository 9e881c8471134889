package org.pupilflow.ingest.objections;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;

import org.pupilflow.census.ObjectionRaisedBy;

/**
 * A withdrawal of an objection.
 *
 * @param withdrawnDate the date of the withdrawal (default today)
 * @param withdrawnBy   who withdraws it: {@code PARENT} or {@code PUPIL}; checked against the policy's ages like a new objection
 * @param dateOfBirth   the pupil's date of birth when known: then who may withdraw is checked (from the 16th birthday, by
 *                      default, only the pupil)
 */
public record WithdrawalRequest(LocalDate withdrawnDate, @NotNull ObjectionRaisedBy withdrawnBy, LocalDate dateOfBirth) {
}
