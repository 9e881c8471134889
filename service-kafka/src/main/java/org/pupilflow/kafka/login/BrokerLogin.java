package org.pupilflow.kafka.login;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Who a service is on the broker, and whether a failure is the broker refusing it. A refusal
 * (wrong password, unknown user, an ACL that does not allow the request) does not heal by
 * retrying, so services stop and say so once, naming the principal, instead of looping.
 */
public final class BrokerLogin {

    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private BrokerLogin() {
    }

    /** The principal a client with these settings logs in as, e.g. {@code User:sharing-router}, or a note that it does not log in. */
    public static String principal(Map<String, ?> clientConfig) {
        Object protocol = clientConfig.get("security.protocol");
        Object jaas = clientConfig.get("sasl.jaas.config");
        if (protocol == null || !String.valueOf(protocol).startsWith("SASL_") || jaas == null) {
            return "an unauthenticated client (no SASL settings)";
        }
        Matcher user = USERNAME.matcher(String.valueOf(jaas));
        return user.find() ? "User:" + user.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "a SASL client with no username";
    }

    /** Whether the broker refused the client's login or a request's authorization, anywhere in the cause chain. */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    /** One line that says who was refused and why. */
    public static String describeRefusal(Throwable failure, Map<String, ?> clientConfig) {
        Throwable refusal = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                refusal = cause;
                break;
            }
        }
        String what = refusal instanceof AuthenticationException ? "refused the login of " : "refused a request of ";
        return "The Kafka broker " + what + principal(clientConfig) + ": " + refusal.getMessage();
    }
}
