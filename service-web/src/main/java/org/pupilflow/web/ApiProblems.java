package org.pupilflow.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error Spring MVC raises, answered as an RFC 9457 problem document with a PupilFlow type
 * ({@link ProblemType}) that names the parameter or field at fault and what is accepted; anything
 * unexpected is a 500 problem without a stack trace (that goes to the log). Services' own advice
 * runs first (this one has the lowest precedence), so they can answer their own exceptions.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    private final WebProperties properties;

    public ApiProblems(WebProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestTooLargeException e, HttpServletRequest request) {
        return respond(tooLargeProblem(e), request);
    }

    @ExceptionHandler(ServiceUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ServiceUnavailableException e, HttpServletRequest request) {
        return unavailable(e.getMessage(), request);
    }

    /** A 503 naming what is down, with {@code Retry-After}. */
    public ResponseEntity<ProblemDetail> unavailable(String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.SERVICE_UNAVAILABLE.problem(detail);
        problem.setProperty("retryAfterSeconds", properties.retryAfter().toSeconds());
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Anything no other handler answers: 500, with the details in the log only. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e.getClass().getName().startsWith("org.springframework.security.")) {
            throw e; // the security filter chain answers these (401 / 403)
        }
        log.error("Unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), e);
        ProblemDetail problem = ProblemType.INTERNAL_ERROR.problem("An unexpected error occurred (" + e.getClass().getSimpleName()
                + "); nothing was half-done, and the service log has the details");
        return respond(problem, request);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static ProblemDetail tooLargeProblem(RequestTooLargeException e) {
        ProblemDetail problem = ProblemType.PAYLOAD_TOO_LARGE.problem(e.getMessage());
        problem.setProperty("limit", e.limit());
        problem.setProperty("setting", e.setting());
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                ProblemDetail problem = tooLargeProblem(tooLarge);
                return handleExceptionInternal(tooLarge, problem, headers, HttpStatus.PAYLOAD_TOO_LARGE, request);
            }
        }
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem;
        if (body instanceof ProblemDetail given) {
            problem = given;
        } else if (body == null && ex instanceof ErrorResponse response) {
            problem = response.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
        } else {
            problem = ProblemDetail.forStatus(status);
        }
        describe(ex, problem, request);
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            ProblemType.forStatus(status.value()).typed(problem);
        }
        if (status.value() == 503 && (headers == null || !headers.containsHeader(HttpHeaders.RETRY_AFTER))) {
            HttpHeaders withRetry = new HttpHeaders();
            if (headers != null) {
                withRetry.putAll(headers);
            }
            withRetry.set(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()));
            headers = withRetry;
        }
        return super.handleExceptionInternal(ex, problem, headers, status, request);
    }

    /** Names what is at fault and what is accepted, for the exceptions Spring MVC raises on bad requests. */
    private void describe(Exception ex, ProblemDetail problem, WebRequest request) {
        if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
            parameter(problem, mismatch.getName(), mismatch.getRequiredType(), mismatch.getValue());
        } else if (ex instanceof TypeMismatchException mismatch) {
            parameter(problem, mismatch.getPropertyName(), mismatch.getRequiredType(), mismatch.getValue());
        } else if (ex instanceof MissingServletRequestParameterException missing) {
            ProblemType.INVALID_PARAMETER.typed(problem);
            problem.setDetail("Parameter '" + missing.getParameterName() + "' is required");
            problem.setProperty("parameter", missing.getParameterName());
            problem.setProperty("accepted", missing.getParameterType());
        } else if (ex instanceof MissingServletRequestPartException missing) {
            ProblemType.INVALID_PARAMETER.typed(problem);
            problem.setDetail("A multipart upload needs a part named '" + missing.getRequestPartName() + "'");
            problem.setProperty("parameter", missing.getRequestPartName());
        } else if (ex instanceof HandlerMethodValidationException invalid) {
            ProblemType.INVALID_PARAMETER.typed(problem);
            Map<String, String> parameters = new LinkedHashMap<>();
            invalid.getParameterValidationResults().forEach(result -> parameters.put(
                    result.getMethodParameter().getParameterName() == null ? "parameter " + result.getMethodParameter().getParameterIndex()
                            : result.getMethodParameter().getParameterName(),
                    result.getResolvableErrors().stream().map(error -> String.valueOf(error.getDefaultMessage())).collect(Collectors.joining("; "))));
            problem.setDetail("Invalid parameters: " + parameters.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining("; ")));
            problem.setProperty("parameters", parameters);
        } else if (ex instanceof MethodArgumentNotValidException invalid) {
            ProblemType.INVALID_FIELD.typed(problem);
            Map<String, String> fields = new LinkedHashMap<>();
            invalid.getBindingResult().getFieldErrors().forEach(error -> fields.merge(error.getField(), String.valueOf(error.getDefaultMessage()),
                    (a, b) -> a + "; " + b));
            invalid.getBindingResult().getGlobalErrors().forEach(error -> fields.merge(error.getObjectName(), String.valueOf(error.getDefaultMessage()),
                    (a, b) -> a + "; " + b));
            problem.setDetail("Invalid request body: " + fields.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining("; ")));
            problem.setProperty("fields", fields);
        } else if (ex instanceof HttpMessageNotReadableException unreadable) {
            unreadable(unreadable, problem);
        } else if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
            ProblemType.UNSUPPORTED_MEDIA_TYPE.typed(problem);
            List<String> accepted = unsupported.getSupportedMediaTypes().stream().map(MediaType::toString).toList();
            problem.setDetail((unsupported.getContentType() == null ? "The request has no Content-Type"
                    : "Content-Type '" + unsupported.getContentType() + "' is not accepted here") + "; send one of " + String.join(", ", accepted));
            problem.setProperty("accepted", accepted);
        } else if (ex instanceof HttpMediaTypeNotAcceptableException notAcceptable) {
            ProblemType.NOT_ACCEPTABLE.typed(problem);
            List<String> accepted = notAcceptable.getSupportedMediaTypes().stream().map(MediaType::toString).toList();
            problem.setDetail("None of the media types in Accept can be produced here; ask for one of " + String.join(", ", accepted));
            problem.setProperty("accepted", accepted);
        } else if (ex instanceof HttpRequestMethodNotSupportedException method) {
            ProblemType.METHOD_NOT_ALLOWED.typed(problem);
            List<String> accepted = method.getSupportedHttpMethods() == null ? List.of()
                    : method.getSupportedHttpMethods().stream().map(Object::toString).toList();
            problem.setDetail(method.getMethod() + " is not accepted here; use " + String.join(" or ", accepted));
            problem.setProperty("accepted", accepted);
        } else if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
            ProblemType.NOT_FOUND.typed(problem);
            String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
            String method = request instanceof ServletWebRequest servlet ? servlet.getRequest().getMethod() : "";
            problem.setDetail("No endpoint " + method + " " + path + " (see the API reference)");
        } else if (ex instanceof MaxUploadSizeExceededException tooLarge) {
            ProblemType.PAYLOAD_TOO_LARGE.typed(problem);
            problem.setDetail("The multipart upload is larger than the limit" + (tooLarge.getMaxUploadSize() > 0 ? " of " + tooLarge.getMaxUploadSize() + " bytes" : "")
                    + " (spring.servlet.multipart.max-file-size, max-request-size)");
            if (tooLarge.getMaxUploadSize() > 0) {
                problem.setProperty("limit", tooLarge.getMaxUploadSize());
            }
            problem.setProperty("setting", "spring.servlet.multipart.max-file-size");
        } else if (ex instanceof RequestTooLargeException tooLarge) {
            ProblemType.PAYLOAD_TOO_LARGE.typed(problem);
            problem.setDetail(tooLarge.getMessage());
            problem.setProperty("limit", tooLarge.limit());
            problem.setProperty("setting", tooLarge.setting());
        }
    }

    private static void parameter(ProblemDetail problem, String name, Class<?> type, Object value) {
        ProblemType.INVALID_PARAMETER.typed(problem);
        String accepted = Accepted.describe(type);
        problem.setDetail("Parameter '" + name + "' must be " + accepted + "; was '" + Accepted.shown(value) + "'");
        problem.setProperty("parameter", name);
        problem.setProperty("accepted", accepted);
        List<String> values = Accepted.values(type);
        if (!values.isEmpty()) {
            problem.setProperty("acceptedValues", values);
        }
    }

    /** A body that could not be read: not JSON at all, or a field of the wrong type or format. */
    private static void unreadable(HttpMessageNotReadableException ex, ProblemDetail problem) {
        ProblemType.MALFORMED_BODY.typed(problem);
        JacksonException jackson = null;
        for (Throwable cause = ex.getCause(); cause != null && jackson == null; cause = cause.getCause()) {
            if (cause instanceof JacksonException found) {
                jackson = found;
            }
        }
        if (jackson instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            String field = path(mismatched.getPath());
            String accepted = Accepted.describe(mismatched.getTargetType());
            problem.setProperty("field", field);
            problem.setProperty("accepted", accepted);
            List<String> values = Accepted.values(mismatched.getTargetType());
            if (!values.isEmpty()) {
                problem.setProperty("acceptedValues", values);
            }
            problem.setDetail("Field '" + field + "' must be " + accepted
                    + (mismatched instanceof InvalidFormatException invalid ? "; was '" + Accepted.shown(invalid.getValue()) + "'" : ""));
        } else if (jackson instanceof StreamReadException syntax) {
            String where = syntax.getLocation() == null ? "" : " (line " + syntax.getLocation().getLineNr() + ", column " + syntax.getLocation().getColumnNr() + ")";
            problem.setDetail("The body is not valid JSON" + where + ": " + firstLine(syntax.getOriginalMessage()));
            problem.setProperty("accepted", "a JSON object");
        } else if (jackson != null) {
            problem.setDetail("The body could not be read as JSON: " + firstLine(jackson.getOriginalMessage()));
            problem.setProperty("accepted", "a JSON object");
        } else {
            problem.setDetail(ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                    ? "A request body is required" : "The request body could not be read");
            problem.setProperty("accepted", "a JSON object");
        }
    }

    private static String path(List<JacksonException.Reference> references) {
        List<String> parts = new ArrayList<>();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                parts.add(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                parts.add("[" + reference.getIndex() + "]");
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
