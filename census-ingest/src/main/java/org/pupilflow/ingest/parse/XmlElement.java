package org.pupilflow.ingest.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of a CTF {@code Pupil} (or {@code Header}) read into memory: its local name, the
 * line of its start tag, its children and its text. Only one pupil's elements exist at a time.
 */
final class XmlElement {

    final String name;
    final int line;
    private List<XmlElement> children = List.of();
    private StringBuilder text;

    XmlElement(String name, int line) {
        this.name = name;
        this.line = line;
    }

    void add(XmlElement child) {
        if (children.isEmpty()) {
            children = new ArrayList<>(4);
        }
        children.add(child);
    }

    void appendText(String characters) {
        if (text == null) {
            text = new StringBuilder(characters.length());
        }
        text.append(characters);
    }

    List<XmlElement> children() {
        return children;
    }

    /** The first child called {@code childName}, or null. */
    XmlElement child(String childName) {
        for (XmlElement child : children) {
            if (child.name.equals(childName)) {
                return child;
            }
        }
        return null;
    }

    /** The descendant at a slash-separated path of first children, or null. */
    XmlElement at(String path) {
        XmlElement element = this;
        int start = 0;
        while (element != null && start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            element = element.child(path.substring(start, end));
            start = end + 1;
        }
        return element;
    }

    /** Every child called {@code childName}, in document order. */
    List<XmlElement> children(String childName) {
        List<XmlElement> named = new ArrayList<>(children.size());
        for (XmlElement child : children) {
            if (child.name.equals(childName)) {
                named.add(child);
            }
        }
        return named;
    }

    /** The element's text, trimmed; null if it has none (or only whitespace). */
    String text() {
        if (text == null) {
            return null;
        }
        String trimmed = text.toString().strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The text of the descendant at {@code path}, or null if there is none. */
    String text(String path) {
        XmlElement element = at(path);
        return element == null ? null : element.text();
    }
}
