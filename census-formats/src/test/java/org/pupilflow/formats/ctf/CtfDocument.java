package org.pupilflow.formats.ctf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A generated CTF document as a DOM, to break or rearrange in tests and write back. Only ever
 * loads documents the fixtures wrote, so the DOM parser's defaults are fine here.
 */
final class CtfDocument {

    private final Document document;

    private CtfDocument(Document document) {
        this.document = document;
    }

    static CtfDocument of(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            return new CtfDocument(factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Element root() {
        return document.getDocumentElement();
    }

    Element header() {
        return element(root(), "Header");
    }

    Element pupilData() {
        return element(root(), "CTFpupilData");
    }

    /** The pupil with the given 0-based index. */
    Element pupil(int index) {
        return children(pupilData(), "Pupil").get(index);
    }

    List<Element> pupils() {
        return children(pupilData(), "Pupil");
    }

    /** The first element at a slash-separated path below {@code from}, or null. */
    static Element element(Element from, String path) {
        Element element = from;
        for (String name : path.split("/")) {
            List<Element> named = children(element, name);
            if (named.isEmpty()) {
                return null;
            }
            element = named.get(0);
        }
        return element;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> named = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && (name == null || element.getTagName().equals(name))) {
                named.add(element);
            }
        }
        return named;
    }

    /** Removes the element at {@code path} below {@code from}; it must exist. */
    CtfDocument remove(Element from, String path) {
        Element element = element(from, path);
        if (element == null) {
            throw new IllegalArgumentException("no " + path + " in " + from.getTagName());
        }
        element.getParentNode().removeChild(element);
        return this;
    }

    /** Sets the text of the element at {@code path} below {@code from}, creating missing elements on the way. */
    CtfDocument set(Element from, String path, String text) {
        Element element = from;
        for (String name : path.split("/")) {
            Element child = element(element, name);
            if (child == null) {
                child = document.createElement(name);
                element.appendChild(child);
            }
            element = child;
        }
        element.setTextContent(text);
        return this;
    }

    /** Appends a new element to {@code parent}. */
    Element append(Element parent, String name) {
        Element element = document.createElement(name);
        parent.appendChild(element);
        return element;
    }

    /** Appends {@code name} with text {@code text} to {@code parent}. */
    Element append(Element parent, String name, String text) {
        Element element = append(parent, name);
        element.setTextContent(text);
        return element;
    }

    /** Moves {@code element} to be its parent's first child. */
    void moveFirst(Element element) {
        Node parent = element.getParentNode();
        parent.removeChild(element);
        parent.insertBefore(element, parent.getFirstChild());
    }

    /**
     * Reverses the order of the child elements of {@code element} and, recursively, of its
     * descendants, wherever the children have distinct names (a record, not a list): element
     * order must not matter there, while a list keeps its order.
     */
    void reverseRecords(Element element) {
        List<Element> children = children(element, null);
        Set<String> names = new HashSet<>();
        boolean record = true;
        for (Element child : children) {
            record &= names.add(child.getTagName());
        }
        if (record) {
            for (Element child : children) {
                element.removeChild(child);
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                element.appendChild(children.get(i));
            }
        }
        for (Element child : children) {
            reverseRecords(child);
        }
    }

    byte[] bytes() {
        try {
            var transformer = TransformerFactory.newDefaultInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 1-based line the {@code index}-th (0-based) {@code <Pupil>} start tag is on. */
    static int lineOfPupil(byte[] xml, int index) {
        String text = new String(xml, StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i <= index; i++) {
            at = text.indexOf("<Pupil>", at + 1);
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The location a reader gives the {@code index}-th (0-based) pupil of {@code xml}. */
    static String locationOfPupil(byte[] xml, int index) {
        return "Pupil[" + (index + 1) + "] (line " + lineOfPupil(xml, index) + ")";
    }
}
