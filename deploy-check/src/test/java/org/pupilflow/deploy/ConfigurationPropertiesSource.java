package org.pupilflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration properties a service's Java source declares, read from the source files: every
 * {@code @ConfigurationProperties("prefix")} record with its components (nested records followed), and the names in
 * {@code @Value("${...}")}, {@code @ConditionalOnProperty} and {@code getProperty("...")}.
 *
 * <p>Why the source and not reflection: the services are Spring Boot applications whose installed jars are repackaged
 * (classes under BOOT-INF/), so they cannot be on this module's classpath, and building them here would make this module
 * depend on all of them. Records are a small, regular grammar; the reader below skips comments, string literals and
 * annotations, and {@code ServiceConfigurationTest} pins what it finds in the real property classes, so a form it does
 * not understand fails a test instead of passing silently (a {@code @ConfigurationProperties} class is refused; on a
 * {@code @Bean} method, which binds a library type's JavaBean properties, any name below its prefix is accepted).
 */
final class ConfigurationPropertiesSource {

    private static final Pattern CONFIGURATION_PROPERTIES = Pattern.compile("@ConfigurationProperties\\s*\\(");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*(?:<[^>]*>)?\\s*\\(");
    private static final Pattern DECLARATION = Pattern.compile("\\b(record|class|interface|enum)\\s+(\\w+)");
    private static final Pattern VALUE = Pattern.compile("@Value\\s*\\(\\s*\"\\$\\{([^}:]+)");
    private static final Pattern CONDITIONAL = Pattern.compile("@ConditionalOnProperty\\s*\\(([^)]*)\\)");
    private static final Pattern GET_PROPERTY = Pattern.compile("getProperty\\(\\s*\"([a-z0-9.\\-\\[\\]]+)\"");
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");

    /**
     * What one service's source declares.
     *
     * @param properties  leaf property names in canonical form ({@code pupilflow.router.objection-freshness.poll-interval});
     *                    list elements as {@code [*]}, keys of maps of objects as {@code *}
     *                    ({@code pupilflow.adapters.recipients.*.webhook.url})
     * @param scalarMaps  map-valued properties whose values are scalars: any key below them is a property
     *                    ({@code pupilflow.x.headers.*})
     * @param objectMaps  map-valued properties whose values are objects ({@code pupilflow.adapters.recipients}): their keys
     *                    are ids that may contain '-', so they cannot be set from environment variables
     */
    record Declared(Set<String> properties, Set<String> scalarMaps, Set<String> objectMaps) {
    }

    private ConfigurationPropertiesSource() {
    }

    /** Everything declared under the given source roots ({@code src/main/java} of a module and of its dependencies). */
    static Declared scan(List<Path> sourceRoots) {
        Set<String> properties = new LinkedHashSet<>();
        Set<String> scalarMaps = new LinkedHashSet<>();
        Set<String> objectMaps = new LinkedHashSet<>();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    scanFile(file, Files.readString(file), properties, scalarMaps, objectMaps);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Declared(Set.copyOf(properties), Set.copyOf(scalarMaps), Set.copyOf(objectMaps));
    }

    static void scanFile(Path file, String source, Set<String> properties, Set<String> scalarMaps, Set<String> objectMaps) {
        String code = withoutComments(source);
        Map<String, List<String[]>> records = records(code, file);
        Matcher annotation = CONFIGURATION_PROPERTIES.matcher(code);
        while (annotation.find()) {
            int close = closing(code, annotation.end() - 1);
            Matcher literal = STRING.matcher(code.substring(annotation.end(), close));
            if (!literal.find()) {
                throw new AssertionError(file + ": @ConfigurationProperties without a prefix literal");
            }
            String prefix = literal.group(1);
            // What the annotation is on: the first declaration after it, unless a '(' (a @Bean method) comes first.
            String rest = withoutAnnotations(code.substring(close + 1));
            Matcher declaration = DECLARATION.matcher(rest);
            boolean found = declaration.find();
            int parenthesis = rest.indexOf('(');
            if (parenthesis >= 0 && (!found || parenthesis < declaration.start())) {
                // On a @Bean method: binds a library object's JavaBean properties, which cannot be listed from here; any
                // name below the prefix is accepted (e.g. spring.datasource.hikari.* of a HikariDataSource).
                scalarMaps.add(prefix);
                continue;
            }
            if (!found || !"record".equals(declaration.group(1))) {
                throw new AssertionError(file + ": @ConfigurationProperties(\"" + prefix + "\") on something other than a record or a"
                        + " @Bean method; teach ConfigurationPropertiesSource to read it");
            }
            expand(prefix, declaration.group(2), records, properties, scalarMaps, objectMaps, file, 0);
        }
        Matcher value = VALUE.matcher(code);
        while (value.find()) {
            properties.add(value.group(1).strip());
        }
        Matcher conditional = CONDITIONAL.matcher(code);
        while (conditional.find()) {
            String arguments = conditional.group(1);
            String prefix = "";
            Matcher prefixMatcher = Pattern.compile("prefix\\s*=\\s*\"([^\"]*)\"").matcher(arguments);
            if (prefixMatcher.find()) {
                prefix = prefixMatcher.group(1) + ".";
            }
            Matcher names = Pattern.compile("(?:name|value)\\s*=\\s*(\\{[^}]*}|\"[^\"]*\")").matcher(arguments);
            while (names.find()) {
                Matcher each = STRING.matcher(names.group(1));
                while (each.find()) {
                    properties.add(prefix + each.group(1));
                }
            }
        }
        Matcher get = GET_PROPERTY.matcher(code);
        while (get.find()) {
            properties.add(get.group(1));
        }
    }

    private static void expand(String prefix, String record, Map<String, List<String[]>> records, Set<String> properties, Set<String> scalarMaps,
                               Set<String> objectMaps, Path file, int depth) {
        if (depth > 10) {
            throw new AssertionError(file + ": records nested too deep at " + prefix);
        }
        List<String[]> components = records.get(record);
        if (components == null) {
            throw new AssertionError(file + ": record " + record + " not found in the same file");
        }
        for (String[] component : components) {
            String type = component[0];
            String name = prefix + "." + kebab(component[1]);
            String raw = rawType(type);
            List<String> arguments = typeArguments(type);
            if (raw.equals("Map") && arguments.size() == 2) {
                String value = rawType(arguments.get(1));
                if (records.containsKey(value)) {
                    objectMaps.add(name);
                    // The properties below each key, with the key as '*' (not a valid name: never bound from a variable).
                    expand(name + ".*", value, records, properties, scalarMaps, objectMaps, file, depth + 1);
                } else {
                    scalarMaps.add(name);
                }
            } else if ((raw.equals("List") || raw.equals("Set") || raw.equals("Collection")) && arguments.size() == 1
                    && records.containsKey(rawType(arguments.get(0)))) {
                expand(name + "[*]", rawType(arguments.get(0)), records, properties, scalarMaps, objectMaps, file, depth + 1);
            } else if (records.containsKey(raw)) {
                expand(name, raw, records, properties, scalarMaps, objectMaps, file, depth + 1);
            } else {
                properties.add(name);
            }
        }
    }

    /** Every record of the file (nested ones too): name to components, each {type, name}, annotations removed. */
    static Map<String, List<String[]>> records(String code, Path file) {
        Map<String, List<String[]>> records = new LinkedHashMap<>();
        Matcher matcher = RECORD.matcher(code);
        while (matcher.find()) {
            int open = matcher.end() - 1;
            String header = code.substring(open + 1, closing(code, open));
            List<String[]> components = new ArrayList<>();
            for (String component : splitTopLevel(withoutAnnotations(header))) {
                String text = component.strip();
                if (text.isEmpty()) {
                    continue;
                }
                int space = text.lastIndexOf(' ');
                if (space < 0) {
                    throw new AssertionError(file + ": cannot read record component '" + text + "' of " + matcher.group(1));
                }
                components.add(new String[] {text.substring(0, space).replaceAll("\\s+", ""), text.substring(space + 1)});
            }
            records.put(matcher.group(1), components);
        }
        return records;
    }

    /** camelCase to the canonical kebab-case of property names. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String rawType(String type) {
        String t = type.strip();
        int lt = t.indexOf('<');
        String raw = lt < 0 ? t : t.substring(0, lt);
        raw = raw.replace("[]", "");
        return raw.substring(raw.lastIndexOf('.') + 1);
    }

    private static List<String> typeArguments(String type) {
        int lt = type.indexOf('<');
        if (lt < 0) {
            return List.of();
        }
        return splitTopLevel(type.substring(lt + 1, type.lastIndexOf('>'))).stream().map(String::strip).toList();
    }

    /** Splits at commas not inside (), <>, [] or {}. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '<' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == '>' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** Removes annotations ({@code @Name}, {@code @a.b.Name(...)}), whose arguments may hold commas and parentheses. */
    private static String withoutAnnotations(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '@') {
                int j = i + 1;
                while (j < text.length() && (Character.isJavaIdentifierPart(text.charAt(j)) || text.charAt(j) == '.')) {
                    j++;
                }
                int k = j;
                while (k < text.length() && Character.isWhitespace(text.charAt(k))) {
                    k++;
                }
                i = k < text.length() && text.charAt(k) == '(' ? closing(text, k) + 1 : j;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index of the parenthesis closing the one at {@code open}, skipping string and character literals. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfLiteral(text, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced parentheses from " + text.substring(open, Math.min(text.length(), open + 80)));
    }

    private static int endOfLiteral(String text, int start) {
        char quote = text.charAt(start);
        if (quote == '"' && text.startsWith("\"\"\"", start)) {
            int end = text.indexOf("\"\"\"", start + 3);
            return end < 0 ? text.length() - 1 : end + 2;
        }
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return text.length() - 1;
    }

    /** The source with comments blanked out; string and character literals are kept (they may contain // or /*). */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfLiteral(source, i);
                out.append(source, i, end + 1);
                i = end + 1;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
