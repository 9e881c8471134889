package org.pupilflow.audit.query;

import jakarta.servlet.http.HttpServletRequest;

import org.pupilflow.web.ApiProblems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The database not answering (down, restarting, out of connections) is an outage, not a bug: audit
 * queries answer 503 with {@code Retry-After} ({@code pupilflow.web.retry-after}), as a problem document.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuditApiErrors {

    private final ApiProblems problems;

    AuditApiErrors(ApiProblems problems) {
        this.problems = problems;
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class, RecoverableDataAccessException.class,
        CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e, HttpServletRequest request) {
        return problems.unavailable("The audit database is not answering (" + e.getClass().getSimpleName() + "); the audit trail is safe, "
                + "try again later", request);
    }
}
