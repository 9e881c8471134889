package org.pupilflow.web;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Errors raised outside Spring MVC — by the servlet container, a filter or the security filter
 * chain's firewall — reach {@code /error}; this answers them as problem documents too, in place of
 * Spring Boot's default error body. Only messages PupilFlow wrote itself are shown (those given to
 * {@code sendError}); an exception's message or stack trace never is.
 */
@RestController
@Hidden
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    private final ErrorAttributes errors;
    private final WebProperties properties;

    public ProblemErrorController(ErrorAttributes errors, WebProperties properties) {
        this.errors = errors;
        this.properties = properties;
    }

    @RequestMapping
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Throwable error = errors.getError(new ServletWebRequest(request));
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                return respond(ApiProblems.tooLargeProblem(tooLarge), request);
            }
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 ? value : 500;
        ProblemType type = ProblemType.forStatus(status);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = error == null && status < 500 && message instanceof String text && !text.isBlank() ? text : defaultDetail(status, request);
        ProblemDetail problem = type.problem(detail);
        problem.setStatus(status);
        return respond(problem, request);
    }

    private ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path && !path.isBlank()) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException unparseable) {
                // a path the firewall refused may not be a valid URI: leave instance out
            }
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.getStatus() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()));
        }
        return response.body(problem);
    }

    private static String defaultDetail(int status, HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return switch (status) {
            case 400 -> "The request could not be understood (malformed URL, header or body)";
            case 401 -> "A valid bearer token is required";
            case 403 -> "Not allowed";
            case 404 -> "No endpoint " + uri + " (see the API reference)";
            case 405 -> "This method is not accepted on " + uri;
            case 413 -> "The request is larger than the server accepts";
            case 503 -> "The service is not available; try again later";
            default -> status >= 500 ? "An unexpected error occurred; nothing was half-done, and the service log has the details"
                    : "The request was refused (HTTP " + status + ")";
        };
    }
}
