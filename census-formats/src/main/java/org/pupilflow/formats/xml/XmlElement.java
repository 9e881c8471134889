package org.pupilflow.formats.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of a census file (a pupil, a header) read into memory: its local name, the line of
 * its start tag, its children and its text. Only one record's elements exist at a time.
 */
public final class XmlElement {

    /** The element's local name. */
    public final String name;
    /** The line of its start tag. */
    public final int line;
    private List<XmlElement> children = List.of();
    private StringBuilder text;

    public XmlElement(String name, int line) {
        this.name = name;
        this.line = line;
    }

    public void add(XmlElement child) {
        if (children.isEmpty()) {
            children = new ArrayList<>(4);
        }
        children.add(child);
    }

    public void appendText(String characters) {
        if (text == null) {
            text = new StringBuilder(characters.length());
        }
        text.append(characters);
    }

    public List<XmlElement> children() {
        return children;
    }

    /** The first child called {@code childName}, or null. */
    public XmlElement child(String childName) {
        for (XmlElement child : children) {
            if (child.name.equals(childName)) {
                return child;
            }
        }
        return null;
    }

    /** The descendant at a slash-separated path of first children, or null. */
    public XmlElement at(String path) {
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
    public List<XmlElement> children(String childName) {
        List<XmlElement> named = new ArrayList<>(children.size());
        for (XmlElement child : children) {
            if (child.name.equals(childName)) {
                named.add(child);
            }
        }
        return named;
    }

    /** The element's text, trimmed; null if it has none (or only whitespace). */
    public String text() {
        if (text == null) {
            return null;
        }
        String trimmed = text.toString().strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The text of the descendant at {@code path}, or null if there is none. */
    public String text(String path) {
        XmlElement element = at(path);
        return element == null ? null : element.text();
    }

    /**
     * The first element called {@code childName} among the children and grandchildren (a child of
     * one of the children), children first; null if there is none. Used for formats whose module
     * containers group an item's values without changing their names.
     */
    public XmlElement within2(String childName) {
        XmlElement direct = child(childName);
        if (direct != null) {
            return direct;
        }
        for (XmlElement child : children) {
            XmlElement grandchild = child.child(childName);
            if (grandchild != null) {
                return grandchild;
            }
        }
        return null;
    }

    /** Every descendant (any depth, document order) that has a child called {@code childName}. */
    public List<XmlElement> descendantsWithChild(String childName) {
        List<XmlElement> found = new ArrayList<>(2);
        collectWithChild(childName, found);
        return found;
    }

    private void collectWithChild(String childName, List<XmlElement> found) {
        for (XmlElement child : children) {
            if (child.child(childName) != null) {
                found.add(child);
            } else {
                child.collectWithChild(childName, found);
            }
        }
    }

    /** Every descendant called {@code descendantName} (any depth, document order, not looking inside a match). */
    public List<XmlElement> descendants(String descendantName) {
        List<XmlElement> found = new ArrayList<>(2);
        collect(descendantName, found);
        return found;
    }

    private void collect(String descendantName, List<XmlElement> found) {
        for (XmlElement child : children) {
            if (child.name.equals(descendantName)) {
                found.add(child);
            } else {
                child.collect(descendantName, found);
            }
        }
    }
}
