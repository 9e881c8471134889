package org.pupilflow.policy.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;

import org.pupilflow.policy.Cohort;
import org.pupilflow.policy.CensusUnits;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.OnRequest;
import org.pupilflow.policy.Pseudonymisation;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a sharing policy from YAML and refuses it, with every error located by file, line and
 * key, unless it is complete and consistent. A policy that loads can be applied as it stands.
 */
public final class PolicyLoader {

    private static final Pattern RECIPIENT_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern LA_NUMBER = Pattern.compile("\\d{3}");
    private static final Set<String> NC_YEARS = Set.of("N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "X");
    private static final Set<String> DELIVERY_CHANNELS = Set.of("kafka", "webhook", "file-drop");

    private final YAMLMapper mapper = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // An absent boolean such as "statutory" means false.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public SharingPolicy load(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read policy file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates; {@code fileName} only labels errors. */
    public SharingPolicy parse(String fileName, byte[] yaml) {
        if (isEmpty(yaml)) {
            throw new InvalidPolicyException(List.of(new PolicyError(fileName, 1, "", "the policy file is empty")));
        }
        YamlLineIndex lines = YamlLineIndex.of(mapper, yaml);
        SharingPolicy bound;
        try {
            bound = mapper.readValue(yaml, SharingPolicy.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys: " + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()) + ")";
            String parent = path(e);
            String key = parent.endsWith(e.getPropertyName()) ? parent : parent.isEmpty() ? e.getPropertyName() : parent + "." + e.getPropertyName();
            // Jackson locates the error where it stopped reading the enclosing block; the index knows the key's own line.
            int line = lines.lineOf(key) > 0 ? lines.lineOf(key) : line(e);
            throw new InvalidPolicyException(List.of(new PolicyError(fileName, line, key, "unknown key '" + e.getPropertyName() + "'" + known)));
        } catch (JacksonException e) {
            throw new InvalidPolicyException(List.of(new PolicyError(fileName, syntaxLine(e), path(e), e.getOriginalMessage())));
        }
        if (bound == null) {
            throw new InvalidPolicyException(List.of(new PolicyError(fileName, 1, "", "the policy file is empty")));
        }
        List<PolicyError> errors = new Validation(fileName, lines).check(bound);
        if (!errors.isEmpty()) {
            throw new InvalidPolicyException(errors);
        }
        return new SharingPolicy(bound.id(), bound.version(), bound.localAuthority(), bound.controller(), bound.title(),
                bound.sources(), bound.recipients(), bound.retention(), sha256(yaml));
    }

    private static boolean isEmpty(byte[] yaml) {
        return new String(yaml, java.nio.charset.StandardCharsets.UTF_8).lines()
                .map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#") || line.equals("---") || line.equals("..."));
    }

    /**
     * The YAML parser's own message names the line (1-based) of the context and, last, of the
     * problem; Jackson's location can be a line early.
     */
    private static int syntaxLine(JacksonException e) {
        java.util.regex.Matcher marks = Pattern.compile("line (\\d+), column").matcher(String.valueOf(e.getOriginalMessage()));
        int line = 0;
        while (marks.find()) {
            line = Integer.parseInt(marks.group(1));
        }
        return line > 0 ? line : line(e);
    }

    private static int line(JacksonException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The semantic checks; collects every error rather than stopping at the first. */
    private static final class Validation {
        private final String file;
        private final YamlLineIndex lines;
        private final List<PolicyError> errors = new ArrayList<>();

        Validation(String file, YamlLineIndex lines) {
            this.file = file;
            this.lines = lines;
        }

        List<PolicyError> check(SharingPolicy policy) {
            require(policy.id(), "id");
            require(policy.version(), "version");
            require(policy.controller(), "controller");
            if (policy.localAuthority() != null && !LA_NUMBER.matcher(policy.localAuthority()).matches()) {
                error("localAuthority", "must be the 3-digit DfE LA number, was '" + policy.localAuthority() + "'");
            }
            if (policy.recipients().isEmpty()) {
                error("recipients", "a policy needs at least one recipient");
            }
            Set<String> ids = new HashSet<>();
            Map<String, String> topicsByCollisionForm = new HashMap<>();
            Set<String> serviceUsers = new HashSet<>();
            for (Service service : Service.values()) {
                serviceUsers.add(BrokerIdentity.of(service).user());
            }
            for (int i = 0; i < policy.recipients().size(); i++) {
                RecipientRule rule = policy.recipients().get(i);
                String at = "recipients[" + i + "]";
                if (rule == null) {
                    error(at, "empty recipient");
                    continue;
                }
                if (rule.id() == null || !RECIPIENT_ID.matcher(rule.id()).matches()) {
                    error(at + ".id", "must be lower-case words joined by hyphens (e.g. youth-support), was '" + rule.id() + "'");
                } else if (!ids.add(rule.id()) || rule.id().equals("all")) {
                    error(at + ".id", rule.id().equals("all") ? "'all' is reserved for objections to every recipient" : "duplicate recipient id '" + rule.id() + "'");
                } else if (serviceUsers.contains(BrokerIdentity.recipientUser(rule.id()))) {
                    error(at + ".id", "recipient id '" + rule.id() + "' would give the recipient the broker principal '" + BrokerIdentity.recipientUser(rule.id())
                            + "', which is a PupilFlow service's");
                }
                if (rule.topic() != null) {
                    Optional<String> problem = TopicCatalog.problemWithRecipientTopic(rule.topic());
                    String clash = topicsByCollisionForm.putIfAbsent(TopicCatalog.collisionForm(rule.topic()), rule.topic());
                    if (problem.isPresent()) {
                        error(at + ".topic", problem.get());
                    } else if (clash != null && clash.equals(rule.topic())) {
                        error(at + ".topic", "topic '" + rule.topic() + "' is already used by another recipient; each recipient reads only its own topic");
                    } else if (clash != null) {
                        error(at + ".topic", "topic '" + rule.topic() + "' clashes with another recipient's '" + clash
                                + "' (Kafka treats '.' and '_' in topic names alike in its metrics)");
                    }
                }
                checkRecipient(rule, at);
            }
            for (int i = 0; i < policy.recipients().size(); i++) {
                RecipientRule rule = policy.recipients().get(i);
                if (rule != null && rule.variantOf() != null && !ids.contains(rule.variantOf())) {
                    error("recipients[" + i + "].variantOf", "unknown recipient '" + rule.variantOf() + "' (recipients: " + String.join(", ", ids) + ")");
                }
            }
            for (int i = 0; i < policy.retention().size(); i++) {
                var rule = policy.retention().get(i);
                require(rule.category(), "retention[" + i + "].category");
                if (rule.keep() == null || rule.keep().isNegative() || rule.keep().isZero()) {
                    error("retention[" + i + "].keep", "give a positive period, e.g. P75Y");
                }
            }
            return errors;
        }

        private void checkRecipient(RecipientRule rule, String at) {
            // A key written with no value binds to null, which for these keys would silently mean the least protective reading.
            requireValueIfPresent(rule.pseudonymise(), at + ".pseudonymise", "pseudonymise needs its settings, e.g. {address: none}");
            requireValueIfPresent(rule.deleteBy(), at + ".deleteBy", "deleteBy needs 'date' or 'afterDisclosure'");
            requireValueIfPresent(rule.cohort() == org.pupilflow.policy.Cohort.EVERYONE && lines.has(at + ".cohort") ? null : rule.cohort(), at + ".cohort",
                    "cohort has no conditions: remove the key to share about every pupil");
            requireValueIfPresent(rule.validFrom(), at + ".validFrom", "validFrom needs a date");
            requireValueIfPresent(rule.validUntil(), at + ".validUntil", "validUntil needs a date");
            require(rule.name(), at + ".name");
            require(rule.topic(), at + ".topic");
            require(rule.purpose(), at + ".purpose");
            if (rule.legalBasis() == null || rule.legalBasis().isBlank()) {
                error(at + ".legalBasis", "missing legal basis: every recipient must name the law its sharing rests on");
            }
            if (!rule.deliveredOnRequest() && !DELIVERY_CHANNELS.contains(rule.delivery())) {
                error(at + ".delivery", "unknown delivery channel '" + rule.delivery() + "' (known: kafka, webhook, file-drop, on-request)");
            }
            checkOnRequest(rule, at);
            if (rule.fields().isEmpty()) {
                error(at + ".fields", "the allow-list is empty: a recipient that receives nothing should be removed");
            }
            checkFields(rule.fields(), at + ".fields");
            checkCohort(rule.cohort(), at + ".cohort");
            checkObjections(rule, at + ".objections");
            if (rule.validFrom() != null && rule.validUntil() != null && rule.validFrom().isAfter(rule.validUntil())) {
                error(at + ".validUntil", "validity window is inverted: validFrom " + rule.validFrom() + " is after validUntil " + rule.validUntil());
            }
            if (rule.deleteBy() != null && (rule.deleteBy().date() == null) == (rule.deleteBy().afterDisclosure() == null)) {
                error(at + ".deleteBy", "give exactly one of 'date' (e.g. 2012-03-01) or 'afterDisclosure' (e.g. P1Y)");
            }
            if (rule.deleteBy() != null && rule.deleteBy().afterDisclosure() != null && rule.deleteBy().afterDisclosure().isNegative()) {
                error(at + ".deleteBy.afterDisclosure", "must not be negative");
            }
            if (rule.pseudonymised()) {
                for (String unit : rule.fields()) {
                    if (CensusUnits.DIRECT_IDENTIFIERS.contains(unit)) {
                        error(at + ".fields", "'" + unit + "' directly identifies the pupil and cannot go to a pseudonymised recipient");
                    }
                }
                if (rule.fields().contains("address") && rule.pseudonymise().address() == Pseudonymisation.AddressDetail.NONE) {
                    error(at + ".pseudonymise.address", "the allow-list has 'address' but pseudonymise.address is none: say postcode-district or drop address");
                }
            }
        }

        /** A case-by-case recipient needs its channel, the legal bases a request may rely on, and its approvals. */
        private void checkOnRequest(RecipientRule rule, String at) {
            OnRequest onRequest = rule.onRequest();
            if (!rule.deliveredOnRequest()) {
                if (onRequest != null || lines.has(at + ".onRequest")) {
                    error(at + ".onRequest", "onRequest only applies with delivery: on-request (this rule's delivery is " + rule.delivery() + ")");
                }
                return;
            }
            if (onRequest == null) {
                error(at + ".onRequest", "delivery: on-request needs an onRequest block: channel (kafka, webhook or file-drop), legalBases a request may "
                        + "rely on, and approvals (1, or 2 for a second officer)");
                return;
            }
            if (onRequest.channel() == null) {
                error(at + ".onRequest.channel", "missing channel: how the recipient receives a requested disclosure (kafka, webhook or file-drop)");
            } else if (!DELIVERY_CHANNELS.contains(onRequest.channel())) {
                error(at + ".onRequest.channel", "unknown delivery channel '" + onRequest.channel() + "' (known: kafka, webhook, file-drop)");
            }
            if (onRequest.legalBases().isEmpty()) {
                error(at + ".onRequest.legalBases", "a case-by-case recipient needs at least one legal basis a request may rely on");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < onRequest.legalBases().size(); i++) {
                String basis = onRequest.legalBases().get(i);
                if (basis == null || basis.isBlank()) {
                    error(at + ".onRequest.legalBases[" + i + "]", "empty legal basis");
                } else if (!seen.add(basis)) {
                    error(at + ".onRequest.legalBases[" + i + "]", "'" + basis + "' is listed twice");
                }
            }
            if (onRequest.approvals() < 1 || onRequest.approvals() > 2) {
                error(at + ".onRequest.approvals", "approvals must be 1 (the requesting officer) or 2 (a second, different officer approves), was "
                        + onRequest.approvals());
            }
            if (onRequest.expiresAfter().isNegative() || onRequest.expiresAfter().isZero()) {
                error(at + ".onRequest.expiresAfter", "give a positive period a request may wait for its approval, e.g. P7D");
            }
        }

        private void checkFields(List<String> fields, String at) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < fields.size(); i++) {
                String unit = fields.get(i);
                if (!seen.add(unit)) {
                    error(at + "[" + i + "]", "'" + unit + "' is listed twice");
                } else if (!CensusUnits.CENSUS.contains(unit)) {
                    error(at + "[" + i + "]", "unknown field name '" + unit + "' (census units: " + String.join(", ", CensusUnits.CENSUS) + ")");
                } else if (!CensusUnits.DISCLOSABLE.contains(unit)) {
                    error(at + "[" + i + "]", "field '" + unit + "' is not in PupilDisclosure, so it cannot be shared until the schema carries it");
                }
            }
        }

        private void checkCohort(Cohort cohort, String at) {
            Cohort.AgeRange age = cohort.age();
            if (age != null) {
                if ((age.min() != null && age.min() < 0) || (age.max() != null && age.max() < 0)) {
                    error(at + ".age", "ages must not be negative");
                }
                if (age.min() != null && age.max() != null && age.min() > age.max()) {
                    error(at + ".age", "inverted age range: min " + age.min() + " is greater than max " + age.max());
                }
            }
            for (int i = 0; i < cohort.ncYears().size(); i++) {
                if (!NC_YEARS.contains(cohort.ncYears().get(i))) {
                    error(at + ".ncYears[" + i + "]", "unknown NC year '" + cohort.ncYears().get(i) + "' (N1, N2, R, 1-14, X)");
                }
            }
        }

        private void checkObjections(RecipientRule rule, String at) {
            ObjectionRule objections = rule.objections();
            switch (objections.effect()) {
                case NOT_APPLICABLE -> {
                    if (!rule.statutory()) {
                        error(at + ".effect", "only statutory sharing may ignore objections: set statutory: true or choose withhold/restrict");
                    }
                }
                case WITHHOLD -> {
                    if (rule.statutory()) {
                        error(at + ".effect", "a statutory recipient cannot be withheld by objection: use not-applicable");
                    }
                }
                case RESTRICT -> {
                    if (rule.statutory()) {
                        error(at + ".effect", "a statutory recipient cannot be restricted by objection: use not-applicable");
                    }
                    if (objections.restrictTo().isEmpty()) {
                        error(at + ".restrictTo", "effect restrict needs restrictTo: the census units still sent");
                    }
                }
            }
            if (objections.effect() != ObjectionRule.Effect.RESTRICT && !objections.restrictTo().isEmpty()) {
                error(at + ".restrictTo", "restrictTo only applies with effect: restrict");
            }
            for (int i = 0; i < objections.restrictTo().size(); i++) {
                String unit = objections.restrictTo().get(i);
                if (!rule.fields().contains(unit)) {
                    error(at + ".restrictTo[" + i + "]", "restrict-to list is not a subset of the allow-list: '" + unit + "' is not in fields");
                }
            }
            Integer parentBelow = objections.parentMayObjectBelowAge();
            Integer pupilFrom = objections.pupilMayObjectFromAge();
            if ((parentBelow != null && parentBelow < 0) || (pupilFrom != null && pupilFrom < 0)
                    || (objections.parentObjectionLapsesAtAge() != null && objections.parentObjectionLapsesAtAge() < 0)) {
                error(at, "ages must not be negative");
            }
        }

        private void requireValueIfPresent(Object value, String path, String message) {
            if (value == null && lines.has(path)) {
                error(path, message);
            }
        }

        private void require(String value, String path) {
            if (value == null || value.isBlank()) {
                error(path, "missing required key '" + path.substring(path.lastIndexOf('.') + 1) + "'");
            }
        }

        private void error(String path, String message) {
            errors.add(new PolicyError(file, lines.lineOf(path), path, message));
        }
    }
}
