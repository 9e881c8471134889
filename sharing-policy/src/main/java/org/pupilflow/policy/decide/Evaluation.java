package org.pupilflow.policy.decide;

import java.util.List;

import org.pupilflow.policy.RecipientRule;

/**
 * Everything the policy says about one pupil.
 *
 * @param decisions   one per recipient whose cohort the pupil is in (and whose agreement is in force)
 * @param outOfCohort recipients whose cohort the pupil is not in: no decision, counted only
 * @param notInForce  time-boxed recipients whose agreement does not cover the decision date: no decision
 */
public record Evaluation(List<Decision> decisions, List<RecipientRule> outOfCohort, List<RecipientRule> notInForce) {
}
