package org.pupilflow.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.pupilflow.census.CensusTerm;
import org.pupilflow.identifiers.LocalAuthority;
import org.pupilflow.identifiers.LocalAuthorityRegister;
import org.pupilflow.ingest.policy.PolicyInForce;
import org.pupilflow.ingest.returns.AsyncReturns;
import org.pupilflow.ingest.returns.ReturnIngestion;
import org.pupilflow.ingest.returns.ReturnReport;
import org.pupilflow.ingest.returns.ReturnStatus;
import org.pupilflow.ingest.returns.ReturnTooLargeException;
import org.pupilflow.ingest.returns.Upload;
import org.pupilflow.web.ProblemType;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Census return uploads in any format PupilFlow reads (CTF XML, school census COLLECT XML, a zip of
 * the LA's census tables, PupilFlow CSV), raw or as a multipart {@code file} part, streamed into
 * validation and a Kafka transaction. The format is recognised from the content; the content type
 * only has to be one of those accepted. The report says what was published; a return that is not
 * published is answered with a problem document whose {@code report} says why. With
 * {@code Prefer: respond-async} the upload is answered 202 at once and read in the background.
 */
@RestController
class ReturnsController {

    private static final Pattern RETURN_ID = Pattern.compile("R-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String RESPOND_ASYNC = "respond-async";

    private final ReturnIngestion ingestion;
    private final AsyncReturns async;
    private final PolicyInForce policies;

    ReturnsController(ReturnIngestion ingestion, AsyncReturns async, PolicyInForce policies) {
        this.ingestion = ingestion;
        this.async = async;
        this.policies = policies;
    }

    /**
     * An upload that names the policy its preview was made with ({@code previewedPolicy}, the report's {@code policy.contentHash}) is
     * refused when another is in force now: it would be shared under a policy nobody previewed.
     */
    private void checkPreviewedPolicy(String previewedPolicy) {
        if (previewedPolicy == null || previewedPolicy.isBlank()) {
            return;
        }
        PolicyInForce.Current current = policies.current().orElse(null);
        if (current != null && !current.contentHash().equalsIgnoreCase(previewedPolicy.strip())) {
            throw new PolicyChangedException(previewedPolicy.strip(), current);
        }
    }

    @Operation(summary = "Upload a census return", description = """
            A census return — CTF XML, school census (COLLECT) XML, a zip of the LA's census tables or PupilFlow CSV, recognised from
            the content — published in one Kafka transaction: all of it or none.
            Strict mode (default) publishes nothing if any record is invalid; lenient mode publishes the valid records and sends the
            invalid ones to `census.rejected`. `dryRun=true` validates and previews what the policy would share, publishing nothing; its
            `summary` says first whether strict mode would refuse it. A return for schools and a census day that already have a published
            return is a replacement: it must say `replaces=<returnId>` (each such return), else 409. With `Prefer: respond-async` the
            upload is answered 202 with `Location: /returns/{id}` at once and read in the background.""")
    @ApiResponse(responseCode = "201", description = "Published: the report (`Location` is the return)")
    @ApiResponse(responseCode = "200", description = "Dry run: the report and the policy preview, nothing published")
    @ApiResponse(responseCode = "202", description = "`Prefer: respond-async`: accepted; `GET Location` shows progress, then the report")
    @ApiResponse(responseCode = "400", description = "`urn:pupilflow:problem:return-malformed`: not a readable return (names the line or element)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "409", description = "`urn:pupilflow:problem:return-duplicate` (same content published as `earlierReturnId`) or "
            + "`urn:pupilflow:problem:return-replacement-mismatch` (schools already have a published return: say `replaces=`) or "
            + "`urn:pupilflow:problem:policy-changed` (`previewedPolicy` is not the policy in force now: preview again)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "503", description = "`urn:pupilflow:problem:no-policy-in-force`: no sharing-router has published its policy yet "
            + "(`Retry-After`); nothing read",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "413", description = "`urn:pupilflow:problem:return-too-large`: larger than pupilflow.ingest.max-return-bytes",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "422", description = "`urn:pupilflow:problem:return-rejected`: invalid records in strict mode, or none valid; "
            + "`report.issues` names each record, field and rule",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @PostMapping(path = "/returns", consumes = {"application/xml", "text/xml", "text/csv", "application/csv", "application/zip",
        "application/x-zip-compressed", "application/octet-stream"})
    ResponseEntity<?> upload(HttpServletRequest request,
                             @Parameter(description = "strict (default) or lenient") @RequestParam(defaultValue = "strict") String mode,
                             @RequestParam(defaultValue = "false") boolean dryRun,
                             @Parameter(description = "census term when the file does not say") @RequestParam(required = false) CensusTerm term,
                             @Parameter(description = "census day (yyyy-MM-dd) when the file does not say")
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate censusDay,
                             @Parameter(description = "3-digit DfE number of the LA when the file does not say") @RequestParam(required = false) String la,
                             @Parameter(description = "the published returns this one replaces (repeat, or comma-separated)")
                             @RequestParam(required = false) List<String> replaces,
                             @Parameter(description = "the policy hash a dry run of this return was previewed with (its report's policy.contentHash): "
                                     + "refused with 409 policy-changed if another policy is in force now")
                             @RequestParam(required = false) String previewedPolicy,
                             @Parameter(description = "respond-async: answer 202 at once") @RequestHeader(name = "Prefer", required = false) String prefer)
            throws IOException {
        checkPreviewedPolicy(previewedPolicy);
        return handle(request.getInputStream(), new Upload(null, mode(mode), dryRun, term, censusDay, la(la), replaces(replaces)), prefer);
    }

    @Operation(summary = "Upload a census return as a multipart file", description = "As POST /returns with a raw body; the `file` part holds the "
            + "return, in any of the formats (recognised from the content).")
    @PostMapping(path = "/returns", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<?> uploadFile(@RequestParam("file") MultipartFile file,
                                 @RequestParam(defaultValue = "strict") String mode,
                                 @RequestParam(defaultValue = "false") boolean dryRun,
                                 @RequestParam(required = false) CensusTerm term,
                                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate censusDay,
                                 @RequestParam(required = false) String la,
                                 @RequestParam(required = false) List<String> replaces,
                                 @RequestParam(required = false) String previewedPolicy,
                                 @RequestHeader(name = "Prefer", required = false) String prefer) throws IOException {
        checkPreviewedPolicy(previewedPolicy);
        try (InputStream body = file.getInputStream()) {
            return handle(body, new Upload(null, mode(mode), dryRun, term, censusDay, la(la), replaces(replaces)), prefer);
        }
    }

    @Operation(summary = "A return's report", description = "The report of a return, whatever happened to it; while an upload sent with "
            + "`Prefer: respond-async` is being read, status PROCESSING with the records read, valid, invalid and sent so far. A return being "
            + "read by another instance of the service is not known here until it is done.")
    @ApiResponse(responseCode = "200", description = "The report (or the progress)")
    @ApiResponse(responseCode = "404", description = "`urn:pupilflow:problem:return-not-found`",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @GetMapping("/returns/{returnId}")
    ReturnReport report(@PathVariable String returnId) {
        return ingestion.find(returnId).orElseThrow(() -> {
            ProblemDetail problem = IngestProblems.RETURN_NOT_FOUND.problem("No return " + shown(returnId)
                    + (RETURN_ID.matcher(returnId).matches() ? "" : ": return ids are R- followed by a UUID, as POST /returns answers"));
            problem.setProperty("parameter", "returnId");
            return new ErrorResponseException(HttpStatusCode.valueOf(404), problem, null);
        });
    }

    private ResponseEntity<?> handle(InputStream body, Upload upload, String prefer) {
        String returnId = ReturnIngestion.newReturnId();
        Upload withBody = new Upload(body, upload.mode(), upload.dryRun(), upload.term(), upload.censusDay(), upload.laNumber(), upload.replaces());
        if (prefer != null && prefer.toLowerCase(Locale.ROOT).contains(RESPOND_ASYNC)) {
            ReturnReport accepted;
            try {
                accepted = async.submit(returnId, body, withBody);
            } catch (ReturnTooLargeException e) {
                ProblemDetail problem = IngestProblems.RETURN_TOO_LARGE.problem(e.getMessage());
                return ResponseEntity.status(413).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
            }
            return ResponseEntity.accepted().location(URI.create("/returns/" + returnId)).header("Preference-Applied", RESPOND_ASYNC).body(accepted);
        }
        return respond(ingestion.ingest(returnId, withBody));
    }

    /** 201 / 200 with the report; a return not published is a problem document carrying its report. */
    private static ResponseEntity<?> respond(ReturnIngestion.Result result) {
        ReturnReport report = result.report();
        if (result.httpStatus() < 400) {
            ResponseEntity.BodyBuilder response = ResponseEntity.status(result.httpStatus());
            if (report.status() == ReturnStatus.PUBLISHED) {
                response.location(URI.create("/returns/" + report.returnId()));
            }
            return response.body(report);
        }
        ProblemType type = switch (report.status()) {
            case REJECTED -> IngestProblems.RETURN_REJECTED;
            case DUPLICATE -> IngestProblems.RETURN_DUPLICATE;
            case REPLACEMENT_MISMATCH -> IngestProblems.RETURN_REPLACEMENT;
            default -> result.httpStatus() == 413 ? IngestProblems.RETURN_TOO_LARGE : IngestProblems.RETURN_MALFORMED;
        };
        ProblemDetail problem = type.problem(report.summary());
        problem.setStatus(result.httpStatus());
        problem.setInstance(URI.create("/returns/" + report.returnId()));
        problem.setProperty("returnId", report.returnId());
        if (report.earlierReturnId() != null) {
            problem.setProperty("earlierReturnId", report.earlierReturnId());
        }
        if (report.earlierReturnIds() != null) {
            problem.setProperty("earlierReturnIds", report.earlierReturnIds());
        }
        problem.setProperty("report", report);
        return ResponseEntity.status(result.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static Upload.Mode mode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "strict" -> Upload.Mode.STRICT;
            case "lenient" -> Upload.Mode.LENIENT;
            default -> throw invalidParameter("mode", "strict or lenient", List.of("strict", "lenient"),
                    "Parameter 'mode' must be strict or lenient; was '" + shown(mode) + "'");
        };
    }

    private static String la(String la) {
        if (la == null || la.isBlank()) {
            return null;
        }
        if (!la.matches("\\d{3}") || LocalAuthorityRegister.bundled().find(la).filter(LocalAuthority::current).isEmpty()) {
            throw invalidParameter("la", "the 3-digit DfE number of a current English LA (e.g. 926)", null,
                    "Parameter 'la' must be the 3-digit DfE number of a current English LA; was '" + shown(la) + "'");
        }
        return la;
    }

    private static List<String> replaces(List<String> replaces) {
        if (replaces == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String id : replaces) {
            String trimmed = id.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!RETURN_ID.matcher(trimmed).matches()) {
                throw invalidParameter("replaces", "return ids (R- followed by a UUID) of published returns", null,
                        "Parameter 'replaces' must name returns by id (R- followed by a UUID); was '" + shown(trimmed) + "'");
            }
            ids.add(trimmed);
        }
        return ids;
    }

    private static ErrorResponseException invalidParameter(String parameter, String accepted, List<String> values, String detail) {
        ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(detail);
        problem.setProperty("parameter", parameter);
        problem.setProperty("accepted", accepted);
        if (values != null) {
            problem.setProperty("acceptedValues", values);
        }
        return new ErrorResponseException(HttpStatusCode.valueOf(400), problem, null);
    }

    private static String shown(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }
}
