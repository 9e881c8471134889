package org.pupilflow.formats.xml;

import java.io.Closeable;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.RecordIssues;

/**
 * The StAX parser under the XML census readers, locked down for untrusted input, with the limits
 * that keep one record from exhausting memory. A reader walks the document with {@link #next()},
 * reads one record (or header) at a time into an {@link XmlElement} and skips what it does not use.
 *
 * <h2>Security</h2>
 * No DTD support, no external entities, entity references not replaced, no external DTD or schema
 * access, and a resolver that refuses everything. On top of that a DOCTYPE or any entity reference
 * (other than the five predefined ones and character references, which the parser delivers as
 * text) rejects the file with {@link CensusFormatException} before anything is resolved, so an XXE
 * or billion-laughs document is never expanded. Element nesting is limited to {@value #MAX_DEPTH},
 * a record to a number of elements, and any one region (a record, a header, the gap between two
 * records) to a number of bytes.
 */
public final class XmlRecordStream implements Closeable {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_ELEMENTS = 20_000;
    public static final long MAX_REGION_BYTES = 4L * 1024 * 1024;

    private final RegionLimitedInputStream input;
    private final XMLStreamReader xml;
    private final long maxRegionBytes;
    private final int maxElements;

    public XmlRecordStream(InputStream in, long maxRegionBytes, int maxElements) {
        this.input = new RegionLimitedInputStream(Objects.requireNonNull(in, "in"), maxRegionBytes);
        this.maxRegionBytes = maxRegionBytes;
        this.maxElements = maxElements;
        XMLStreamReader reader = null;
        try {
            reader = secureFactory().createXMLStreamReader(input);
        } catch (XMLStreamException e) {
            throw new CensusFormatException(describe(e.getLocation()), "Malformed XML: " + parserMessage(e), e);
        }
        this.xml = reader;
    }

    /**
     * The JDK's own StAX implementation ({@code newDefaultFactory}, so a StAX provider elsewhere on
     * the class path cannot replace it), with every DTD and entity feature off.
     */
    public static XMLInputFactory secureFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not allowed in a census return");
        });
        return factory;
    }

    /** The next parser event; a DTD or an entity reference anywhere rejects the file. */
    public int next() throws XMLStreamException {
        if (!xml.hasNext()) {
            throw new CensusFormatException(where(), "The document ends unexpectedly");
        }
        int event = xml.next();
        if (event == XMLStreamConstants.DTD) {
            throw new CensusFormatException(where(), "DTDs are not allowed in a census return (the document has a DOCTYPE declaration)");
        }
        if (event == XMLStreamConstants.ENTITY_REFERENCE) {
            throw new CensusFormatException(where(), "Entity references are not allowed in a census return (found &" + safeName(xml.getLocalName()) + ";)");
        }
        return event;
    }

    /** The local name of the current start or end tag. */
    public String localName() {
        return xml.getLocalName();
    }

    /** The line of the current event. */
    public int line() {
        return xml.getLocation().getLineNumber();
    }

    /** Starts a new region for the byte limit: at each record boundary. */
    public void startRegion() {
        input.startRegion();
    }

    /**
     * Reads the element whose start tag is the current event, with all its descendants, up to its
     * end tag. {@code depth} is the element's depth (the root is 0).
     */
    public XmlElement readElement(int depth) throws XMLStreamException {
        XmlElement top = new XmlElement(xml.getLocalName(), line());
        Deque<XmlElement> open = new ArrayDeque<>();
        open.push(top);
        int elements = 1;
        while (!open.isEmpty()) {
            int event = next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (depth + open.size() > MAX_DEPTH) {
                        throw new CensusFormatException(where(), "Elements are nested more than " + MAX_DEPTH + " deep");
                    }
                    if (++elements > maxElements) {
                        throw new CensusFormatException(where(), "<" + top.name + "> has more than " + maxElements + " elements");
                    }
                    XmlElement child = new XmlElement(xml.getLocalName(), line());
                    open.peek().add(child);
                    open.push(child);
                }
                case XMLStreamConstants.END_ELEMENT -> open.pop();
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> open.peek().appendText(xml.getText());
                default -> {
                    // Comments and processing instructions carry nothing.
                }
            }
        }
        return top;
    }

    /** Skips the element whose start tag is the current event (one the reader does not use). */
    public void skipElement(int depth) throws XMLStreamException {
        int open = 1;
        while (open > 0) {
            int event = next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (depth + open > MAX_DEPTH) {
                    throw new CensusFormatException(where(), "Elements are nested more than " + MAX_DEPTH + " deep");
                }
                open++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                open--;
            }
        }
    }

    /** After the root's end tag: only comments and whitespace may follow. */
    public void finishDocument() throws XMLStreamException {
        while (next() != XMLStreamConstants.END_DOCUMENT) {
            // Anything but trailing misc is a parse error, thrown by the parser.
        }
    }

    /**
     * The exception for a parser failure: a region over the byte limit is described with
     * {@code region} ("Pupil[17] or what follows it"), anything else as malformed XML where it happened.
     */
    public CensusFormatException malformed(XMLStreamException e, String region) {
        if (input.exceeded()) {
            return new CensusFormatException(where(), region + " is larger than " + maxRegionBytes + " bytes; a record that large is not a pupil");
        }
        Location at = e.getLocation() != null ? e.getLocation() : safeLocation();
        return new CensusFormatException(describe(at), "Malformed XML: " + parserMessage(e), e);
    }

    /** The current location, "line 3, column 17". */
    public String where() {
        return describe(safeLocation());
    }

    /** A name from the document, made safe to quote in a message. */
    public static String safeName(String name) {
        return name == null ? "" : RecordIssues.quote(name).replace("'", "");
    }

    private Location safeLocation() {
        try {
            return xml == null ? null : xml.getLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describe(Location at) {
        if (at == null || at.getLineNumber() < 0) {
            return "end of document";
        }
        return "line " + at.getLineNumber() + (at.getColumnNumber() >= 0 ? ", column " + at.getColumnNumber() : "");
    }

    /** The JDK's message without its "ParseError at [row,col]:[3,5] Message:" prefix. */
    private static String parserMessage(XMLStreamException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int marker = message.indexOf("Message: ");
        return (marker >= 0 ? message.substring(marker + "Message: ".length()) : message).strip();
    }

    /** Releases the parser; the caller's stream stays open. */
    @Override
    public void close() {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // Closing only releases the parser.
        }
    }
}
