package org.pupilflow.policy.notice;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.pupilflow.census.SchoolPhase;
import org.pupilflow.policy.CensusUnits;
import org.pupilflow.policy.Cohort;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.RetentionRule;
import org.pupilflow.policy.SharingPolicy;

/**
 * The human-readable privacy notice of a running policy. It is rendered from the same object
 * the router applies, so what parents are told and what is shared cannot drift apart.
 */
public final class NoticeRenderer {

    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    private NoticeRenderer() {
    }

    public static String markdown(SharingPolicy policy) {
        StringBuilder md = new StringBuilder();
        // Markdown renderers pass raw HTML through, so text from the policy file is escaped here too.
        md.append("# ").append(md(policy.title() != null ? policy.title() : policy.controller() + ": sharing pupil information")).append("\n\n");
        md.append(md(intro(policy))).append("\n\n");
        for (RecipientRule rule : policy.recipients()) {
            md.append("## ").append(md(rule.name())).append("\n\n");
            md.append(md(rule.purpose().strip())).append("\n\n");
            for (Paragraph paragraph : paragraphs(rule)) {
                md.append("- **").append(paragraph.label()).append(":** ").append(md(paragraph.text())).append('\n');
            }
            md.append('\n');
        }
        if (!policy.retention().isEmpty()) {
            md.append("## How long we keep information\n\n");
            for (RetentionRule rule : policy.retention()) {
                md.append("- ").append(md(retention(rule))).append('\n');
            }
            md.append('\n');
        }
        md.append(footer(policy)).append('\n');
        return md.toString();
    }

    public static String html(SharingPolicy policy) {
        StringBuilder html = new StringBuilder();
        String title = policy.title() != null ? policy.title() : policy.controller() + ": sharing pupil information";
        html.append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title></head>\n<body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        html.append("<p>").append(escape(intro(policy))).append("</p>\n");
        for (RecipientRule rule : policy.recipients()) {
            html.append("<section id=\"").append(escape(rule.id())).append("\">\n<h2>").append(escape(rule.name())).append("</h2>\n");
            html.append("<p>").append(escape(rule.purpose().strip())).append("</p>\n<dl>\n");
            for (Paragraph paragraph : paragraphs(rule)) {
                html.append("<dt>").append(escape(paragraph.label())).append("</dt><dd>").append(escape(paragraph.text())).append("</dd>\n");
            }
            html.append("</dl>\n</section>\n");
        }
        if (!policy.retention().isEmpty()) {
            html.append("<section id=\"retention\">\n<h2>How long we keep information</h2>\n<ul>\n");
            for (RetentionRule rule : policy.retention()) {
                html.append("<li>").append(escape(retention(rule))).append("</li>\n");
            }
            html.append("</ul>\n</section>\n");
        }
        html.append("<p><small>").append(escape(footer(policy))).append("</small></p>\n</body>\n</html>\n");
        return html.toString();
    }

    private record Paragraph(String label, String text) {
    }

    private static List<Paragraph> paragraphs(RecipientRule rule) {
        List<Paragraph> paragraphs = new ArrayList<>();
        paragraphs.add(new Paragraph("Whose information", cohort(rule.cohort())));
        paragraphs.add(new Paragraph("What is shared", rule.fields().stream().map(CensusUnits::inPlainWords).collect(Collectors.joining("; "))
                + (rule.pseudonymised() ? ". Names are never sent, and the pupil number is replaced by a code that cannot be turned back into it without our key"
                        + (rule.fields().contains("address") ? "; of the address only the postcode district is sent" : "") : "")));
        paragraphs.add(new Paragraph("Legal basis", rule.legalBasis()));
        if (rule.deliveredOnRequest()) {
            paragraphs.add(new Paragraph("Case by case", onRequest(rule)));
        }
        paragraphs.add(new Paragraph("Your right to object", objections(rule)));
        if (rule.validFrom() != null || rule.validUntil() != null) {
            paragraphs.add(new Paragraph("When", window(rule.validFrom(), rule.validUntil())));
        }
        if (rule.deleteBy() != null) {
            paragraphs.add(new Paragraph("Kept until", rule.deleteBy().date() != null
                    ? "the recipient must destroy the information by " + LONG_DATE.format(rule.deleteBy().date())
                    : "the recipient must destroy the information within " + period(rule.deleteBy().afterDisclosure()) + " of receiving it"));
        }
        return paragraphs;
    }

    /** A case-by-case recipient: nothing is sent routinely; what one request needs and may rely on. */
    private static String onRequest(RecipientRule rule) {
        var onRequest = rule.onRequest();
        return "nothing is sent routinely. An authorised officer may ask for one disclosure about named children for a case, giving the case"
                + " reference, the purpose and the legal basis it relies on, which must be one of: " + String.join("; ", onRequest.legalBases()) + ". "
                + (onRequest.needsSecondApprover()
                        ? "A second, different officer must approve the request before anything is sent; a request not approved within "
                                + period(onRequest.expiresAfter()) + " lapses. "
                        : "")
                + "Only the information listed above is sent, objections are applied as for any other sharing, and every request is recorded with"
                + " who asked" + (onRequest.needsSecondApprover() ? " and who approved" : "") + "; you can ask us what was shared and why.";
    }

    private static String cohort(Cohort cohort) {
        List<String> parts = new ArrayList<>();
        if (cohort.age() != null) {
            Integer min = cohort.age().min();
            Integer max = cohort.age().max();
            String ages = min != null && max != null ? "aged " + min + " to " + max : min != null ? "aged " + min + " or over" : "aged " + max + " or under";
            parts.add(ages + " (age on " + switch (cohort.ageMeasuredOn()) {
                case CENSUS_DAY -> "census day";
                case DECISION_DATE -> "the day the information is shared";
                case START_OF_ACADEMIC_YEAR -> "31 August before the school year";
            } + ")");
        }
        if (!cohort.ncYears().isEmpty()) {
            parts.add("in " + cohort.ncYears().stream().map(NoticeRenderer::yearGroup).collect(Collectors.joining(" or ")));
        }
        if (!cohort.schoolPhases().isEmpty()) {
            parts.add("at " + cohort.schoolPhases().stream().map(NoticeRenderer::phase).distinct().collect(Collectors.joining(" or ")) + " schools");
        }
        if (cohort.lookedAfter() != null) {
            parts.add(cohort.lookedAfter() ? "who are looked after by a local authority" : "who are not looked after");
        }
        if (cohort.childInNeed() != null) {
            parts.add(cohort.childInNeed() ? "who are children in need" : "who are not children in need");
        }
        return parts.isEmpty() ? "every pupil in the census" : "pupils " + String.join(", ", parts);
    }

    private static String yearGroup(String ncYear) {
        return switch (ncYear) {
            case "R" -> "Reception";
            case "N1" -> "the first nursery year";
            case "N2" -> "the second nursery year";
            case "X" -> "no national curriculum year group";
            default -> "Year " + ncYear;
        };
    }

    private static String phase(SchoolPhase phase) {
        return switch (phase) {
            case PRIMARY -> "primary (including first and infant)";
            case MIDDLE_DEEMED_PRIMARY, MIDDLE_DEEMED_SECONDARY -> "middle";
            case ALL_THROUGH -> "all-through";
            case ALTERNATIVE_PROVISION -> "alternative provision";
            default -> phase.name().toLowerCase(Locale.UK);
        };
    }

    private static String objections(RecipientRule rule) {
        ObjectionRule objections = rule.objections();
        if (objections.effect() == ObjectionRule.Effect.NOT_APPLICABLE) {
            return "the law requires this sharing, so an objection cannot stop it; any objection you make is recorded with each disclosure";
        }
        String who = whoMayObject(objections);
        String what = objections.effect() == ObjectionRule.Effect.WITHHOLD
                ? "that nothing about the pupil be passed on"
                : "that no information beyond the pupil's " + objections.restrictTo().stream().map(CensusUnits::inPlainWords).collect(Collectors.joining(", "))
                        + " be passed on";
        return who + " can ask " + what + "." + (objections.parentObjectionLapsesAtAge() == null && objections.parentMayObjectBelowAge() != null
                ? " A parent's request made before then stays in force until it is withdrawn." : "");
    }

    private static String whoMayObject(ObjectionRule objections) {
        Integer parentBelow = objections.parentMayObjectBelowAge();
        Integer pupilFrom = objections.pupilMayObjectFromAge();
        if (parentBelow != null && pupilFrom != null && parentBelow.equals(pupilFrom)) {
            return "Until the pupil is " + parentBelow + ", a parent; from the pupil's " + ordinal(pupilFrom) + " birthday, the pupil";
        }
        String parent = parentBelow == null ? "A parent" : "Until the pupil is " + parentBelow + ", a parent";
        return pupilFrom == null ? parent : parent + ", or the pupil from age " + pupilFrom + ",";
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String window(LocalDate from, LocalDate until) {
        if (from != null && until != null) {
            return "only between " + LONG_DATE.format(from) + " and " + LONG_DATE.format(until);
        }
        return from != null ? "from " + LONG_DATE.format(from) : "until " + LONG_DATE.format(until);
    }

    private static String period(Period period) {
        List<String> parts = new ArrayList<>();
        if (period.getYears() > 0) {
            parts.add(period.getYears() + (period.getYears() == 1 ? " year" : " years"));
        }
        if (period.getMonths() > 0) {
            parts.add(period.getMonths() + (period.getMonths() == 1 ? " month" : " months"));
        }
        if (period.getDays() > 0 || parts.isEmpty()) {
            parts.add(period.getDays() + (period.getDays() == 1 ? " day" : " days"));
        }
        return String.join(" and ", parts);
    }

    private static String retention(RetentionRule rule) {
        String from = rule.from() == null ? "" : switch (rule.from()) {
            case BIRTH -> " from birth";
            case EIGHTEENTH_BIRTHDAY -> " after the child's 18th birthday";
            case CASE_CLOSURE -> " after the case is closed";
            case DISCLOSURE -> " after it is shared";
        };
        String notApplied = rule.whyNotAppliedByPupilFlow();
        return "Records about " + rule.category().replace('-', ' ') + ": kept for " + period(rule.keep()) + from + "."
                + (notApplied == null ? " PupilFlow keeps its own records of sharing about these pupils (its audit trail) for this long."
                        : " Not applied by PupilFlow, the sharing system: " + notApplied + ".")
                + (rule.note() == null ? "" : " " + rule.note().strip());
    }

    private static String intro(SharingPolicy policy) {
        return policy.controller() + " shares information about pupils from the school census only with the organisations below, "
                + "only the information listed for each, and only for the purpose given.";
    }

    private static String footer(SharingPolicy policy) {
        return "Policy " + policy.id() + ", version " + policy.version() + " (content hash " + policy.contentHash() + ").";
    }

    /** Markdown text with the characters that would start raw HTML escaped; apostrophes and quotes stay readable. */
    private static String md(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
