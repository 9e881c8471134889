package org.pupilflow.ingest.api;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Valid;

import org.pupilflow.ingest.objections.ObjectionRefusedException;
import org.pupilflow.ingest.objections.ObjectionRequest;
import org.pupilflow.ingest.objections.ObjectionService;
import org.pupilflow.ingest.objections.ObjectionView;
import org.pupilflow.ingest.objections.WithdrawalRequest;
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
    private final MeterRegistry registry;

    ObjectionsController(ObjectionService objections, MeterRegistry registry) {
        this.objections = objections;
        this.registry = registry;
        for (String outcome : new String[] {"accepted", "refused", "withdrawn"}) {
            counted(outcome);
        }
    }

    @PostMapping(path = "/objections", consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    ObjectionView record(@Valid @RequestBody ObjectionRequest request) {
        try {
            ObjectionView recorded = objections.record(request);
            counted("accepted").increment();
            return recorded;
        } catch (ObjectionRefusedException refused) {
            counted("refused").increment();
            throw refused;
        }
    }

    /**
     * Withdraws an objection: the body says who withdraws it and may name the date and the pupil's date of birth
     * ({@code {"withdrawnBy": "PUPIL", "withdrawnDate": "2026-03-01", "dateOfBirth": "2009-05-01"}}); the date defaults to today.
     */
    @PostMapping(path = "/objections/{objectionId}/withdraw", consumes = "application/json")
    ObjectionView withdraw(@PathVariable String objectionId, @Valid @RequestBody WithdrawalRequest withdrawal) {
        ObjectionView withdrawn = objections.withdraw(objectionId, withdrawal);
        counted("withdrawn").increment();
        return withdrawn;
    }

    /** {@code pupilflow_ingest_objections_total{outcome}}: accepted, refused (by the policy's rules), withdrawn. */
    private Counter counted(String outcome) {
        return Counter.builder("pupilflow.ingest.objections").description("Objections recorded, refused or withdrawn")
                .tag("outcome", outcome).register(registry);
    }

    @GetMapping("/objections")
    List<ObjectionView> forPupil(@RequestParam String upn) {
        return objections.forUpn(upn);
    }
}
