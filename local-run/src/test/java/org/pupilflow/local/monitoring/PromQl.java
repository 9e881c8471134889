package org.pupilflow.local.monitoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which series a PromQL expression reads: every metric name in it, with the label names it relies on. The dashboards and
 * alert rules are only as good as the names they query, and a misspelt metric or label gives "No data" or an alert that
 * can never fire rather than an error; so the tests check these names against what the services really expose.
 *
 * <p>A small recursive-descent parser of PromQL, not a scanner of words, because the labels of {@code by(...)},
 * {@code on(...)} and {@code group_left(...)} belong to the metrics of the expression they apply to, which only the
 * structure tells. It knows numbers, durations, strings, comments, selectors with matchers, range vectors, subqueries,
 * {@code offset} and {@code @}, function calls, aggregations (with their modifiers before or after the argument list and
 * their parameter), unary and binary operators with Prometheus' precedence and their {@code bool}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right} modifiers. It does not check function names or argument
 * types: promtool does (AlertRulesTest, DashboardFilesTest).
 *
 * <p>Grafana additions: the interval macros ({@code $__rate_interval}, {@code $__interval}, {@code $__range}, also as
 * {@code ${...}}) stand for a duration, {@code 5m}; {@code $__range_s} and the {@code _ms} forms for a number. Any other
 * variable may appear only inside a quoted label value (where it is a value, not a name); elsewhere it is refused, since
 * the names it would stand for could not be checked. Grafana's variable queries {@code label_values(selector, label)},
 * {@code label_values(label)} and {@code query_result(expr)} are understood too.
 */
public final class PromQl {

    /**
     * One metric name as it occurs in an expression, and the label names used with it: in its own matchers, and in the
     * {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right} clauses that
     * apply to it. {@code group_left(x)} copies x from the right-hand side, so x is attached to the right-hand metrics
     * only ({@code group_right}: the left). Labels of {@code by}/{@code without} go to every metric inside the
     * aggregation, labels of {@code on}/{@code ignoring} to every metric on both sides.
     */
    public record Selector(String metric, Set<String> labels) {

        public Selector {
            labels = Collections.unmodifiableSet(new TreeSet<>(labels));
        }

        static Selector of(String metric, String... labels) {
            return new Selector(metric, Set.of(labels));
        }

        @Override
        public String toString() {
            return metric + labels;
        }
    }

    /** Aggregation operators: followed by "(" like functions, but may carry by/without and a parameter. */
    static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "limitk", "limit_ratio");

    /** Words that are never metric names (PromQL reads them case-insensitively). */
    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "atan2");

    /** Grafana's interval and range macros, as what they expand to in a query Prometheus receives. */
    private static final Map<String, String> MACROS = Map.of("__rate_interval", "5m", "__interval", "5m", "__range", "5m",
            "__rate_interval_ms", "300000", "__interval_ms", "300000", "__range_s", "300", "__range_ms", "300000");

    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d|w|y))+(?![A-Za-z0-9_])");
    private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]+|(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)(?::[^}]*)?}|([A-Za-z0-9_]+))");
    private static final Pattern GRAFANA_QUERY = Pattern.compile("(?s)\\s*(label_values|query_result|label_names|metrics)\\s*\\(.*");

    private PromQl() {
    }

    /**
     * Every metric occurring in the expression, in order of appearance (one entry per occurrence), with the label names
     * used with it.
     *
     * @throws IllegalArgumentException if the expression is not PromQL as described above, naming the position
     */
    public static List<Selector> selectors(String expr) {
        Matcher grafana = GRAFANA_QUERY.matcher(expr);
        if (grafana.matches()) {
            return grafanaQuery(expr, grafana.group(1));
        }
        Parser parser = new Parser(expr, tokens(expr));
        List<Occurrence> found = parser.expression();
        parser.expect(Kind.END, "the end of the expression");
        return found.stream().map(Occurrence::selector).toList();
    }

    /**
     * Every metric occurrence's own exact-value matchers ({@code application="sharing-router"}), metric by metric: a
     * series must exist with those values, or the panel shows nothing. Matchers whose value holds a Grafana variable
     * are left out.
     */
    public static List<Map.Entry<String, Map<String, String>>> exactMatchers(String expr) {
        if (GRAFANA_QUERY.matcher(expr).matches()) {
            return List.of();
        }
        Parser parser = new Parser(expr, tokens(expr));
        List<Occurrence> found = parser.expression();
        parser.expect(Kind.END, "the end of the expression");
        return found.stream().filter(o -> !o.exact.isEmpty()).<Map.Entry<String, Map<String, String>>>map(o -> Map.entry(o.metric, Map.copyOf(o.exact))).toList();
    }

    /** Grafana's variable queries (not PromQL: Grafana turns them into series or label API calls). */
    private static List<Selector> grafanaQuery(String expr, String function) {
        Parser parser = new Parser(expr, tokens(expr));
        parser.next();
        parser.expect(Kind.LEFT_PAREN, "(");
        List<Occurrence> found = new ArrayList<>();
        switch (function) {
            case "label_values" -> {
                // label_values(label) asks for a label of any metric: no metric to name.
                boolean labelOnly = parser.peek().kind == Kind.IDENTIFIER && parser.peek(1).kind == Kind.RIGHT_PAREN;
                if (!labelOnly) {
                    found = parser.expression();
                    parser.expect(Kind.COMMA, ", label");
                    String label = parser.expect(Kind.IDENTIFIER, "a label name").text;
                    found.forEach(occurrence -> occurrence.labels.add(label));
                } else {
                    parser.next();
                }
            }
            case "query_result" -> found = parser.expression();
            default -> {
                // label_names(), metrics(regex): nothing to name.
                while (parser.peek().kind != Kind.RIGHT_PAREN && parser.peek().kind != Kind.END) {
                    parser.next();
                }
            }
        }
        parser.expect(Kind.RIGHT_PAREN, ")");
        parser.expect(Kind.END, "the end of the expression");
        return found.stream().map(Occurrence::selector).toList();
    }

    // ------------------------------------------------------------------------------------------------ tokens

    enum Kind {
        IDENTIFIER, NUMBER, DURATION, STRING, LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET,
        COMMA, COLON, OPERATOR, MATCH, AT, END
    }

    record Token(Kind kind, String text, int position) {

        boolean is(Kind kind, String text) {
            return this.kind == kind && this.text.equalsIgnoreCase(text);
        }

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
        }
    }

    static List<Token> tokens(String expr) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                int start = i;
                i = endOfString(expr, i);
                tokens.add(new Token(Kind.STRING, expr.substring(start, i), start));
            } else if (c == '$') {
                Matcher variable = VARIABLE.matcher(expr).region(i, n);
                if (!variable.lookingAt()) {
                    throw error(expr, i, "a lone '$'");
                }
                String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
                String value = MACROS.get(name);
                if (value == null) {
                    throw error(expr, i, "Grafana variable " + variable.group() + " outside a quoted label value: a metric or label"
                            + " name made of a variable cannot be checked");
                }
                tokens.add(new Token(value.matches("[0-9]+") ? Kind.NUMBER : Kind.DURATION, value, i));
                i = variable.end();
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                Matcher duration = DURATION.matcher(expr).region(i, n);
                Matcher number = NUMBER.matcher(expr).region(i, n);
                if (duration.lookingAt()) {
                    tokens.add(new Token(Kind.DURATION, duration.group(), i));
                    i = duration.end();
                } else if (number.lookingAt()) {
                    tokens.add(new Token(Kind.NUMBER, number.group(), i));
                    i = number.end();
                } else {
                    throw error(expr, i, "a malformed number");
                }
                if (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
                    throw error(expr, i, "a malformed number or duration");
                }
            } else if (c == ':' && !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind == Kind.DURATION) {
                // The colon of a subquery [range:step]; elsewhere a colon may start a (recording rule's) metric name.
                tokens.add(new Token(Kind.COLON, ":", i));
                i++;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                Matcher identifier = IDENTIFIER.matcher(expr).region(i, n);
                identifier.lookingAt();
                String word = identifier.group();
                String lower = word.toLowerCase(Locale.ROOT);
                tokens.add(new Token(lower.equals("inf") || lower.equals("nan") ? Kind.NUMBER : Kind.IDENTIFIER, word, i));
                i = identifier.end();
            } else {
                String two = i + 1 < n ? expr.substring(i, i + 2) : "";
                switch (two) {
                    case "==", "!=", "<=", ">=" -> {
                        tokens.add(new Token(Kind.OPERATOR, two, i));
                        i += 2;
                        continue;
                    }
                    case "=~", "!~" -> {
                        tokens.add(new Token(Kind.MATCH, two, i));
                        i += 2;
                        continue;
                    }
                    default -> {
                    }
                }
                Kind kind = switch (c) {
                    case '(' -> Kind.LEFT_PAREN;
                    case ')' -> Kind.RIGHT_PAREN;
                    case '{' -> Kind.LEFT_BRACE;
                    case '}' -> Kind.RIGHT_BRACE;
                    case '[' -> Kind.LEFT_BRACKET;
                    case ']' -> Kind.RIGHT_BRACKET;
                    case ',' -> Kind.COMMA;
                    case ':' -> Kind.COLON;
                    case '@' -> Kind.AT;
                    case '=' -> Kind.MATCH;
                    case '+', '-', '*', '/', '%', '^', '<', '>' -> Kind.OPERATOR;
                    default -> throw error(expr, i, "an unexpected character '" + c + "'");
                };
                tokens.add(new Token(kind, String.valueOf(c), i));
                i++;
            }
        }
        tokens.add(new Token(Kind.END, "", n));
        return tokens;
    }

    private static int endOfString(String expr, int start) {
        char quote = expr.charAt(start);
        int i = start + 1;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw error(expr, start, "an unterminated string");
    }

    static IllegalArgumentException error(String expr, int position, String what) {
        int from = Math.max(0, position - 30);
        int to = Math.min(expr.length(), position + 30);
        String near = expr.substring(from, to).replace('\n', ' ');
        return new IllegalArgumentException("PromQL: " + what + " at position " + position + " (near «" + near + "») in: " + expr);
    }

    // ------------------------------------------------------------------------------------------------ parser

    /** A metric occurrence while parsing: the enclosing clauses add their labels. */
    private static final class Occurrence {
        private final String metric;
        private final Set<String> labels = new TreeSet<>();
        /** The metric's own {@code label="value"} matchers with a literal value (no Grafana variable). */
        private final Map<String, String> exact = new java.util.TreeMap<>();

        Occurrence(String metric) {
            this.metric = metric;
        }

        Selector selector() {
            return new Selector(metric, labels);
        }
    }

    /** Binary operators by precedence, lowest first (Prometheus' order; ^ is right-associative). */
    private static final List<Set<String>> PRECEDENCE = List.of(Set.of("or"), Set.of("and", "unless"),
            Set.of("==", "!=", "<=", "<", ">=", ">"), Set.of("+", "-"), Set.of("*", "/", "%", "atan2"), Set.of("^"));

    private static final class Parser {
        private final String expr;
        private final List<Token> tokens;
        private int index;

        Parser(String expr, List<Token> tokens) {
            this.expr = expr;
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(index);
        }

        Token peek(int ahead) {
            return tokens.get(Math.min(index + ahead, tokens.size() - 1));
        }

        Token next() {
            Token token = tokens.get(index);
            if (token.kind != Kind.END) {
                index++;
            }
            return token;
        }

        Token expect(Kind kind, String what) {
            Token token = peek();
            if (token.kind != kind) {
                throw error(expr, token.position, "expected " + what + ", found " + describe(token));
            }
            return next();
        }

        private static String describe(Token token) {
            return token.kind == Kind.END ? "the end" : "'" + token.text + "'";
        }

        List<Occurrence> expression() {
            return binary(0);
        }

        /** The binary operator at the current token, if it has the given precedence level. */
        private boolean atOperator(int level) {
            Token token = peek();
            String text = token.text.toLowerCase(Locale.ROOT);
            boolean operator = token.kind == Kind.OPERATOR
                    || (token.kind == Kind.IDENTIFIER && Set.of("and", "or", "unless", "atan2").contains(text));
            return operator && PRECEDENCE.get(level).contains(text);
        }

        private List<Occurrence> binary(int level) {
            if (level == PRECEDENCE.size()) {
                return unary();
            }
            List<Occurrence> left = binary(level + 1);
            while (atOperator(level)) {
                next();
                if (peek().isKeyword("bool")) {
                    next();
                }
                Set<String> matching = new TreeSet<>();
                Set<String> fromRight = new TreeSet<>();
                Set<String> fromLeft = new TreeSet<>();
                if (peek().isKeyword("on") || peek().isKeyword("ignoring")) {
                    next();
                    matching.addAll(labelList());
                    if (peek().isKeyword("group_left") || peek().isKeyword("group_right")) {
                        boolean groupLeft = next().isKeyword("group_left");
                        if (peek().kind == Kind.LEFT_PAREN) {
                            (groupLeft ? fromRight : fromLeft).addAll(labelList());
                        }
                    }
                }
                // ^ is right-associative: its right operand is parsed at the same level.
                List<Occurrence> right = level == PRECEDENCE.size() - 1 ? binary(level) : binary(level + 1);
                left.forEach(o -> o.labels.addAll(matching));
                right.forEach(o -> o.labels.addAll(matching));
                right.forEach(o -> o.labels.addAll(fromRight));
                left.forEach(o -> o.labels.addAll(fromLeft));
                List<Occurrence> both = new ArrayList<>(left);
                both.addAll(right);
                left = both;
            }
            return left;
        }

        private List<Occurrence> unary() {
            if (peek().is(Kind.OPERATOR, "-") || peek().is(Kind.OPERATOR, "+")) {
                next();
                return unary();
            }
            return postfix();
        }

        /** Range, subquery, offset and @ after an operand, in any order. */
        private List<Occurrence> postfix() {
            List<Occurrence> operand = primary();
            while (true) {
                Token token = peek();
                if (token.kind == Kind.LEFT_BRACKET) {
                    next();
                    expect(Kind.DURATION, "a duration");
                    if (peek().kind == Kind.COLON) {
                        next();
                        if (peek().kind == Kind.DURATION) {
                            next();
                        }
                    }
                    expect(Kind.RIGHT_BRACKET, "]");
                } else if (token.isKeyword("offset")) {
                    next();
                    if (peek().is(Kind.OPERATOR, "-")) {
                        next();
                    }
                    expect(Kind.DURATION, "a duration after offset");
                } else if (token.kind == Kind.AT) {
                    next();
                    if (peek().kind == Kind.NUMBER) {
                        next();
                    } else if (peek().isKeyword("start") || peek().isKeyword("end")) {
                        next();
                        expect(Kind.LEFT_PAREN, "(");
                        expect(Kind.RIGHT_PAREN, ")");
                    } else {
                        throw error(expr, peek().position, "expected a timestamp, start() or end() after @, found " + describe(peek()));
                    }
                } else {
                    return operand;
                }
            }
        }

        private List<Occurrence> primary() {
            Token token = peek();
            switch (token.kind) {
                case NUMBER, STRING -> {
                    next();
                    return new ArrayList<>();
                }
                case LEFT_PAREN -> {
                    next();
                    List<Occurrence> inner = expression();
                    expect(Kind.RIGHT_PAREN, ")");
                    return inner;
                }
                case LEFT_BRACE -> {
                    return selector(null);
                }
                case IDENTIFIER -> {
                    String word = token.text.toLowerCase(Locale.ROOT);
                    if (AGGREGATIONS.contains(word) && (peek(1).kind == Kind.LEFT_PAREN || peek(1).isKeyword("by") || peek(1).isKeyword("without"))) {
                        return aggregation();
                    }
                    if (peek(1).kind == Kind.LEFT_PAREN) {
                        return call();
                    }
                    if (KEYWORDS.contains(word) || AGGREGATIONS.contains(word)) {
                        throw error(expr, token.position, "'" + token.text + "' is a keyword, not a metric name");
                    }
                    next();
                    return selector(token.text);
                }
                default -> throw error(expr, token.position, "expected an expression, found " + describe(token));
            }
        }

        private List<Occurrence> aggregation() {
            next();
            Set<String> grouping = new TreeSet<>();
            if (peek().isKeyword("by") || peek().isKeyword("without")) {
                next();
                grouping.addAll(labelList());
            }
            List<Occurrence> inside = arguments();
            if (peek().isKeyword("by") || peek().isKeyword("without")) {
                next();
                grouping.addAll(labelList());
            }
            inside.forEach(o -> o.labels.addAll(grouping));
            return inside;
        }

        private List<Occurrence> call() {
            next();
            return arguments();
        }

        /** "(" [expr {"," expr}] ")": the occurrences of every argument. */
        private List<Occurrence> arguments() {
            expect(Kind.LEFT_PAREN, "(");
            List<Occurrence> found = new ArrayList<>();
            if (peek().kind != Kind.RIGHT_PAREN) {
                found.addAll(expression());
                while (peek().kind == Kind.COMMA) {
                    next();
                    found.addAll(expression());
                }
            }
            expect(Kind.RIGHT_PAREN, ")");
            return found;
        }

        /** "(" label {"," label} [","] ")" of by, without, on, ignoring, group_left, group_right. */
        private Set<String> labelList() {
            expect(Kind.LEFT_PAREN, "( and label names");
            Set<String> labels = new TreeSet<>();
            while (peek().kind != Kind.RIGHT_PAREN) {
                Token label = expect(Kind.IDENTIFIER, "a label name");
                labels.add(label.text);
                if (peek().kind == Kind.COMMA) {
                    next();
                } else if (peek().kind != Kind.RIGHT_PAREN) {
                    throw error(expr, peek().position, "expected , or ) in a label list, found " + describe(peek()));
                }
            }
            next();
            return labels;
        }

        /** A vector selector: a metric name (or none) and optional matchers. */
        private List<Occurrence> selector(String metric) {
            String name = metric;
            Set<String> labels = new TreeSet<>();
            Map<String, String> exact = new java.util.TreeMap<>();
            if (peek().kind == Kind.LEFT_BRACE) {
                next();
                while (peek().kind != Kind.RIGHT_BRACE) {
                    Token label = expect(Kind.IDENTIFIER, "a label name");
                    Token operator = peek().is(Kind.OPERATOR, "!=") ? next() : expect(Kind.MATCH, "=, !=, =~ or !~");
                    Token value = expect(Kind.STRING, "a quoted label value");
                    if (label.text.equals("__name__")) {
                        if (!operator.text.equals("=") || name != null) {
                            throw error(expr, label.position, "__name__ only as the one exact metric name");
                        }
                        name = unquote(value.text);
                    } else {
                        labels.add(label.text);
                        if (operator.text.equals("=") && !unquote(value.text).contains("$")) {
                            exact.put(label.text, unquote(value.text));
                        }
                    }
                    if (peek().kind == Kind.COMMA) {
                        next();
                    } else if (peek().kind != Kind.RIGHT_BRACE) {
                        throw error(expr, peek().position, "expected , or } in a selector, found " + describe(peek()));
                    }
                }
                next();
            }
            if (name == null) {
                throw error(expr, peek().position, "a selector without a metric name");
            }
            Occurrence occurrence = new Occurrence(name);
            occurrence.labels.addAll(labels);
            occurrence.exact.putAll(exact);
            List<Occurrence> found = new ArrayList<>();
            found.add(occurrence);
            return found;
        }

        private static String unquote(String quoted) {
            return quoted.substring(1, quoted.length() - 1);
        }
    }
}
