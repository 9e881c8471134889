/**
 * English pupil and learner identifiers: the UPN (Unique Pupil Number) and the ULN (Unique
 * Learner Number), with their check algorithms and the register of LA numbers a UPN may carry.
 *
 * <p>This package is deliberately plain Java (the build bans Spring and Kafka) because every
 * PupilFlow service, and any offline tool, must reject the same identifiers for the same reasons.
 * Algorithms and worked examples: {@code shared/DOMAIN.md} §2, citing the govtalk UPN 2.0
 * standard and ESFA ILR derived data DD01.
 */
package org.pupilflow.identifiers;
