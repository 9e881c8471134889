package org.pupilflow.web;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * One kind of problem a PupilFlow API answers with: an RFC 9457 {@code type} URI
 * ({@code urn:pupilflow:problem:<slug>}), its usual status, a title and what it means. The generic
 * kinds every service shares are the constants here; services add their own ({@link ProblemTypes}),
 * and the API reference lists them all.
 *
 * @param slug        the last part of the type URI, e.g. {@code invalid-parameter}
 * @param status      the HTTP status answered with it
 * @param title       a short summary that does not change from occurrence to occurrence
 * @param description what it means and what the client can do, for the API reference
 */
public record ProblemType(String slug, int status, String title, String description) {

    /** Every PupilFlow problem type URI starts with this. */
    public static final String PREFIX = "urn:pupilflow:problem:";

    public static final ProblemType INVALID_PARAMETER = new ProblemType("invalid-parameter", 400, "Invalid parameter",
            "A query or path parameter is missing or not one of the values accepted. `parameter` names it, `accepted` says what is accepted.");
    public static final ProblemType MALFORMED_BODY = new ProblemType("malformed-body", 400, "Malformed request body",
            "The body is not valid JSON, or a field of it has the wrong type or format. `field` names the field when one is at fault, "
                    + "`accepted` says what is accepted.");
    public static final ProblemType INVALID_FIELD = new ProblemType("invalid-field", 400, "Invalid field",
            "A field of the body is missing or breaks a rule. `fields` maps each field at fault to what is wrong with it.");
    public static final ProblemType BAD_REQUEST = new ProblemType("bad-request", 400, "Bad request",
            "The request could not be understood (for example a URL the server refuses to route).");
    public static final ProblemType UNAUTHENTICATED = new ProblemType("unauthenticated", 401, "Authentication required",
            "No bearer token, or one that is not valid now (signature, issuer, audience, expiry, lifetime, issued-at). "
                    + "The `WWW-Authenticate` header says why.");
    public static final ProblemType FORBIDDEN = new ProblemType("forbidden", 403, "Role required",
            "The token is valid but does not grant the role this endpoint needs. `requiredRole` names it.");
    public static final ProblemType NOT_FOUND = new ProblemType("not-found", 404, "Not found",
            "There is no such endpoint, or no such resource (the detail says which).");
    public static final ProblemType METHOD_NOT_ALLOWED = new ProblemType("method-not-allowed", 405, "Method not allowed",
            "The endpoint exists but not with this method. `accepted` lists the methods it takes (also in `Allow`).");
    public static final ProblemType NOT_ACCEPTABLE = new ProblemType("not-acceptable", 406, "Not acceptable",
            "None of the media types in `Accept` can be produced. `accepted` lists those that can.");
    public static final ProblemType PAYLOAD_TOO_LARGE = new ProblemType("payload-too-large", 413, "Request too large",
            "The request body is larger than the limit. `limit` gives it in bytes and `setting` the property that sets it.");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE = new ProblemType("unsupported-media-type", 415, "Unsupported media type",
            "The `Content-Type` is not one this endpoint reads. `accepted` lists those it does.");
    public static final ProblemType INTERNAL_ERROR = new ProblemType("internal-error", 500, "Internal error",
            "Something failed that should not have. Nothing was half-done (uploads are atomic); the log has the details. Try again or report it.");
    public static final ProblemType SERVICE_UNAVAILABLE = new ProblemType("service-unavailable", 503, "Service unavailable",
            "A service this request needs (Kafka, the database) is not answering. Try again after `Retry-After` seconds.");

    /** The generic types, in the order the API reference lists them. */
    public static final List<ProblemType> GENERIC = List.of(INVALID_PARAMETER, MALFORMED_BODY, INVALID_FIELD, BAD_REQUEST, UNAUTHENTICATED,
            FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INTERNAL_ERROR, SERVICE_UNAVAILABLE);

    public ProblemType {
        Objects.requireNonNull(slug, "slug");
        if (!slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("slug must be lower-case words joined by hyphens: " + slug);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 4xx or 5xx: " + status);
        }
    }

    public URI uri() {
        return URI.create(PREFIX + slug);
    }

    /** A problem document of this type with its status and title. */
    public ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        return typed(problem);
    }

    /** Sets this type and title on {@code problem} (its status is left as it is). */
    public ProblemDetail typed(ProblemDetail problem) {
        problem.setType(uri());
        problem.setTitle(title);
        return problem;
    }

    /** An exception Spring MVC answers with this problem ({@link ErrorResponseException}). */
    public ErrorResponseException exception(String detail) {
        return new ErrorResponseException(HttpStatusCode.valueOf(status), problem(detail), null);
    }

    /** The generic type for a status without more specific meaning. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : GENERIC) {
            if (type.status == status && type != INVALID_PARAMETER && type != MALFORMED_BODY && type != INVALID_FIELD) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
