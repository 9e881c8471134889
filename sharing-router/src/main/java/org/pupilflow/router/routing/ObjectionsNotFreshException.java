package org.pupilflow.router.routing;

/** Thrown (and so aborting the transaction) when the router cannot show it has the objections a decision needs. */
final class ObjectionsNotFreshException extends RuntimeException {

    ObjectionsNotFreshException(String message) {
        super(message);
    }
}
