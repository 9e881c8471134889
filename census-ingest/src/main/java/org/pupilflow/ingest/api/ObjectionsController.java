package org.pupilflow.ingest.api;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;

import org.pupilflow.ingest.objections.ObjectionRequest;
import org.pupilflow.ingest.objections.ObjectionService;
import org.pupilflow.ingest.objections.ObjectionView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Recording and withdrawing objections (opt-outs), and looking up a pupil's. */
@RestController
class ObjectionsController {

    private final ObjectionService objections;

    ObjectionsController(ObjectionService objections) {
        this.objections = objections;
    }

    @PostMapping("/objections")
    @ResponseStatus(HttpStatus.CREATED)
    ObjectionView record(@Valid @RequestBody ObjectionRequest request) {
        return objections.record(request);
    }

    /** Withdraws an objection; the body may name the date ({@code {"withdrawnDate": "2026-03-01"}}), default today. */
    @PostMapping("/objections/{objectionId}/withdraw")
    ObjectionView withdraw(@PathVariable String objectionId, @RequestBody(required = false) Withdrawal withdrawal) {
        return objections.withdraw(objectionId, withdrawal == null ? null : withdrawal.withdrawnDate());
    }

    @GetMapping("/objections")
    List<ObjectionView> forPupil(@RequestParam String upn) {
        return objections.forUpn(upn);
    }

    record Withdrawal(LocalDate withdrawnDate) {
    }
}
