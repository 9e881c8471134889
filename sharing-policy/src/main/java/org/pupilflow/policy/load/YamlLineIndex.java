package org.pupilflow.policy.load;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Line numbers of every key in a YAML document, by path ({@code recipients[2].cohort.age}).
 * Data binding forgets where values came from; validation errors use this to point at the line.
 */
final class YamlLineIndex {

    private final Map<String, Integer> lines;

    private YamlLineIndex(Map<String, Integer> lines) {
        this.lines = lines;
    }

    static YamlLineIndex of(YAMLMapper mapper, byte[] yaml) {
        Map<String, Integer> lines = new HashMap<>();
        Deque<Frame> stack = new ArrayDeque<>();
        try (JsonParser parser = mapper.createParser(yaml)) {
            String pendingName = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                Frame parent = stack.peek();
                switch (token) {
                    case PROPERTY_NAME -> {
                        pendingName = parser.currentName();
                        lines.putIfAbsent(join(parent, pendingName), parser.currentTokenLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String path = childPath(parent, pendingName);
                        if (parent != null && parent.array) {
                            lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
                        }
                        stack.push(new Frame(path, token == JsonToken.START_ARRAY));
                        pendingName = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        stack.pop();
                        if (stack.peek() != null && stack.peek().array) {
                            stack.peek().index++;
                        }
                    }
                    default -> {
                        if (parent != null && parent.array) {
                            lines.putIfAbsent(parent.path + "[" + parent.index + "]", parser.currentTokenLocation().getLineNr());
                            parent.index++;
                        }
                        pendingName = null;
                    }
                }
            }
        } catch (JacksonException e) {
            // Binding reports syntax errors with their location; the index just stays partial.
        }
        return new YamlLineIndex(lines);
    }

    /** Whether the document has this key at all (whatever its value). */
    boolean has(String path) {
        return lines.containsKey(path);
    }

    /** The line of {@code path}, or of its nearest enclosing key; 0 if none is known. */
    int lineOf(String path) {
        for (String p = path; !p.isEmpty(); p = parentOf(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    private static String childPath(Frame parent, String name) {
        if (parent == null) {
            return "";
        }
        return parent.array ? parent.path + "[" + parent.index + "]" : join(parent, name);
    }

    private static String join(Frame parent, String name) {
        return parent == null || parent.path.isEmpty() ? name : parent.path + "." + name;
    }

    private static final class Frame {
        final String path;
        final boolean array;
        int index;

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }
    }
}
