package org.pupilflow.router.routing;

/**
 * The requested pupils topic does not have as many partitions as the census topic, so a request about a pupil would be
 * decided by a task that does not hold the pupil's census record. Retrying cannot fix it: the router stops.
 */
final class TopicsNotCoPartitionedException extends IllegalStateException {

    TopicsNotCoPartitionedException(String message) {
        super(message);
    }
}
