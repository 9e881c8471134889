package org.pupilflow.policy.load;

/**
 * One thing wrong with a policy file, located so an LA author can fix it.
 *
 * @param file    the file name as given to the loader
 * @param line    1-based line of the offending key (0 when unknown)
 * @param path    the key's path, e.g. {@code recipients[2].cohort.age.min}
 * @param message what is wrong, in words
 */
public record PolicyError(String file, int line, String path, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
