package org.pupilflow.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.pupilflow.census.CensusTerm;
import org.pupilflow.ingest.returns.ReturnIngestion;
import org.pupilflow.ingest.returns.ReturnReport;
import org.pupilflow.ingest.returns.Upload;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

/**
 * Census return uploads in any format PupilFlow reads (CTF XML, school census COLLECT XML, a zip of
 * the LA's census tables, PupilFlow CSV), raw or as a multipart {@code file} part, streamed into
 * validation and a Kafka transaction. The format is recognised from the content; the content type
 * only has to be one of those accepted. The report says what was published or why not.
 */
@RestController
class ReturnsController {

    private final ReturnIngestion ingestion;

    ReturnsController(ReturnIngestion ingestion) {
        this.ingestion = ingestion;
    }

    @PostMapping(path = "/returns", consumes = {"application/xml", "text/xml", "text/csv", "application/csv", "application/zip",
        "application/x-zip-compressed", "application/octet-stream"})
    ResponseEntity<ReturnReport> upload(HttpServletRequest request,
                                        @RequestParam(defaultValue = "strict") String mode,
                                        @RequestParam(defaultValue = "false") boolean dryRun,
                                        @RequestParam(required = false) CensusTerm term,
                                        @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate censusDay,
                                        @RequestParam(required = false) String la) throws IOException {
        return respond(ingestion.ingest(new Upload(request.getInputStream(), mode(mode), dryRun, term, censusDay, la)));
    }

    @PostMapping(path = "/returns", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ReturnReport> uploadFile(@RequestParam("file") MultipartFile file,
                                            @RequestParam(defaultValue = "strict") String mode,
                                            @RequestParam(defaultValue = "false") boolean dryRun,
                                            @RequestParam(required = false) CensusTerm term,
                                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate censusDay,
                                            @RequestParam(required = false) String la) throws IOException {
        try (InputStream body = file.getInputStream()) {
            return respond(ingestion.ingest(new Upload(body, mode(mode), dryRun, term, censusDay, la)));
        }
    }

    @GetMapping("/returns/{returnId}")
    ReturnReport report(@PathVariable String returnId) {
        return ingestion.find(returnId).orElseThrow(() -> new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "No return " + returnId));
    }

    private static Upload.Mode mode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "strict" -> Upload.Mode.STRICT;
            case "lenient" -> Upload.Mode.LENIENT;
            default -> throw new ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST, "mode must be strict or lenient, was '" + mode + "'");
        };
    }

    private static ResponseEntity<ReturnReport> respond(ReturnIngestion.Result result) {
        return ResponseEntity.status(result.httpStatus()).body(result.report());
    }
}
