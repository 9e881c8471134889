package org.pupilflow.ingest.api;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

import org.pupilflow.ingest.objections.ObjectionRefusedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Bad requests answered as RFC 9457 problem details that name the field and the rule, never a stack trace. */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(ObjectionRefusedException.class)
    ResponseEntity<ProblemDetail> refused(ObjectionRefusedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
        problem.setTitle("Objection not accepted");
        problem.setType(URI.create("urn:pupilflow:objection-refused"));
        problem.setProperty("field", e.field());
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        Map<String, String> fields = e.getBindingResult().getFieldErrors().stream()
                .collect(Collectors.toMap(error -> error.getField(), error -> String.valueOf(error.getDefaultMessage()), (a, b) -> a));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Invalid request: " + fields);
        problem.setTitle("Invalid request");
        problem.setProperty("fields", fields);
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<ProblemDetail> unavailable(IllegalStateException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Kafka unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }
}
