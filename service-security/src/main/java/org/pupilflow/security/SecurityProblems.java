package org.pupilflow.security;

import java.net.URI;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.pupilflow.web.ProblemType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** 401 and 403 as problem documents: why the token was refused, or which role the endpoint needs. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityProblems {

    private final ObjectProvider<EndpointRoles> endpoints;

    public SecurityProblems(ObjectProvider<EndpointRoles> endpoints) {
        this.endpoints = endpoints;
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e, HttpServletRequest request) {
        String detail;
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            detail = "A bearer token is required (Authorization: Bearer <JWT>)";
        } else if (e instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null) {
            detail = "The bearer token was refused: " + oauth.getError().getDescription();
        } else {
            detail = "The bearer token was refused: " + e.getMessage();
        }
        ProblemDetail problem = ProblemType.UNAUTHENTICATED.problem(detail);
        return respond(problem, request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e, HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Optional<EndpointRoles.Endpoint> endpoint = Optional.ofNullable(endpoints.getIfAvailable()).flatMap(table -> table.find(request.getMethod(), path));
        ProblemDetail problem;
        if (endpoint.isPresent()) {
            problem = ProblemType.FORBIDDEN.problem(request.getMethod() + " " + path + " needs the role '" + endpoint.get().role()
                    + "', which the token does not grant");
            problem.setProperty("requiredRole", endpoint.get().role());
        } else {
            problem = ProblemType.FORBIDDEN.problem("No role opens " + request.getMethod() + " " + path
                    + ": it is not an endpoint of this service (see the API reference, /v3/api-docs)");
        }
        return respond(problem, request);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
