package org.pupilflow.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.pupilflow.census.CensusContext;

/**
 * Reads a census return in Common Transfer File XML (root {@code CTfile}, {@code Header},
 * {@code CTFpupilData/Pupil}*) with the JDK's StAX parser, one {@code Pupil} at a time: only the
 * header's census context and the current pupil's elements are held.
 *
 * <h2>Security</h2>
 * A return comes from outside, so the parser is locked down: no DTD support, no external
 * entities, entity references not replaced, no external DTD or schema access, and a resolver that
 * refuses everything. On top of that a DOCTYPE or any entity reference (other than the five
 * predefined ones and character references, which the parser delivers as text) rejects the
 * file with {@link CensusFormatException} before anything is resolved, so an XXE or
 * billion-laughs document is never expanded. Element nesting is limited to
 * {@value #MAX_DEPTH}, a pupil to {@value #MAX_ELEMENTS} elements, and any one pupil, the
 * header, or the gap between two pupils to {@value #MAX_REGION_BYTES} bytes.
 *
 * <h2>Mapping</h2>
 * The inverse of {@code org.pupilflow.fixtures.ctf.CtfXmlWriter}; see {@code CtfPupilMapper}
 * for the element paths, the defaults of absent optional parts and the required fields. Element
 * names are matched on local names, case-sensitively; namespaces are ignored. Unknown elements
 * anywhere are skipped, and the order of a pupil's elements does not matter (repeated
 * elements keep their document order, contacts are sorted by {@code Order}).
 *
 * <h2>Census context</h2>
 * {@code Header/CollectionDetails/Term} and {@code CensusDate} and {@code Header/SourceSchool/LEA}
 * win over the {@link ReturnContext}'s values, which fill gaps. A header value that cannot be
 * read is reported on every record ("code-list"/"date") and the context's value used; one known
 * from neither gives every record a "required" issue on the header field and no pupil. The
 * header must precede {@code CTFpupilData}, as it does in every CTF.
 */
public final class CtfXmlReader implements CensusReader {

    static final int MAX_DEPTH = 32;
    static final int MAX_ELEMENTS = 20_000;
    static final long MAX_REGION_BYTES = 4L * 1024 * 1024;

    private static final String ROOT = "CTfile";

    private enum State { PROLOG, IN_ROOT, IN_PUPIL_DATA, DONE }

    private final ReturnContext context;
    private final RegionLimitedInputStream input;
    private final XMLStreamReader xml;
    private final long maxRegionBytes;
    private final int maxElements;
    private State state = State.PROLOG;
    private long pupils;
    private CtfPupilMapper mapper;
    /** The structural problem already found: every later call throws it again. */
    private CensusFormatException failure;

    public CtfXmlReader(InputStream xml, ReturnContext context) {
        this(xml, context, MAX_REGION_BYTES, MAX_ELEMENTS);
    }

    /** With smaller limits, for tests. */
    CtfXmlReader(InputStream xml, ReturnContext context, long maxRegionBytes, int maxElements) {
        this.context = java.util.Objects.requireNonNull(context, "context");
        this.input = new RegionLimitedInputStream(java.util.Objects.requireNonNull(xml, "xml"), maxRegionBytes);
        this.maxRegionBytes = maxRegionBytes;
        this.maxElements = maxElements;
        try {
            this.xml = secureFactory().createXMLStreamReader(input);
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
    }

    /**
     * The JDK's own StAX implementation ({@code newDefaultFactory}, so a StAX provider elsewhere
     * on the class path cannot replace it), with every DTD and entity feature off.
     */
    static XMLInputFactory secureFactory() {
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

    @Override
    public ParsedRecord next() {
        if (failure != null) {
            throw failure;
        }
        try {
            return read();
        } catch (CensusFormatException e) {
            failure = e;
            throw e;
        }
    }

    private ParsedRecord read() {
        try {
            while (state != State.DONE) {
                int event = nextEvent();
                switch (state) {
                    case PROLOG -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if (!ROOT.equals(xml.getLocalName())) {
                                throw new CensusFormatException(where(), "Not a Common Transfer File: the root element is <" + safeName(xml.getLocalName())
                                        + ">, expected <" + ROOT + ">");
                            }
                            state = State.IN_ROOT;
                        } else if (event == XMLStreamConstants.END_DOCUMENT) {
                            throw new CensusFormatException(where(), "Not a Common Transfer File: the document has no root element");
                        }
                    }
                    case IN_ROOT -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            switch (xml.getLocalName()) {
                                case "Header" -> {
                                    input.startRegion();
                                    header(readElement(1));
                                    input.startRegion();
                                }
                                case "CTFpupilData" -> state = State.IN_PUPIL_DATA;
                                default -> skipElement(1);
                            }
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            finishDocument();
                        }
                    }
                    case IN_PUPIL_DATA -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if ("Pupil".equals(xml.getLocalName())) {
                                return pupil();
                            }
                            skipElement(2);
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            state = State.IN_ROOT;
                        }
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
    }

    private ParsedRecord pupil() throws XMLStreamException {
        long index = ++pupils;
        String location = "Pupil[" + index + "] (line " + xml.getLocation().getLineNumber() + ")";
        input.startRegion();
        XmlElement pupil = readElement(2);
        input.startRegion();
        if (mapper == null) {
            // No Header before the pupils: the return's context alone.
            header(null);
        }
        return mapper.map(pupil, index, location);
    }

    private void header(XmlElement header) {
        String term = header == null ? null : header.text("CollectionDetails/Term");
        String censusDay = header == null ? null : header.text("CollectionDetails/CensusDate");
        String la = header == null ? null : header.text("SourceSchool/LEA");
        RecordIssues issues = new RecordIssues("Header");
        CensusContext census = CensusValues.context(context, issues, term, "Header/CollectionDetails/Term",
                censusDay, "Header/CollectionDetails/CensusDate", la, "Header/SourceSchool/LEA");
        mapper = new CtfPupilMapper(census, issues.list());
    }

    /** After the root's end tag: only comments and whitespace may follow. */
    private void finishDocument() throws XMLStreamException {
        while (nextEvent() != XMLStreamConstants.END_DOCUMENT) {
            // Anything but trailing misc is a parse error, thrown by the parser.
        }
        state = State.DONE;
    }

    /**
     * Reads the element whose start tag is the current event, with all its descendants, up to its
     * end tag. {@code depth} is the element's depth (the root is 0).
     */
    private XmlElement readElement(int depth) throws XMLStreamException {
        XmlElement top = new XmlElement(xml.getLocalName(), xml.getLocation().getLineNumber());
        Deque<XmlElement> open = new ArrayDeque<>();
        open.push(top);
        int elements = 1;
        while (!open.isEmpty()) {
            int event = nextEvent();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (depth + open.size() > MAX_DEPTH) {
                        throw new CensusFormatException(where(), "Elements are nested more than " + MAX_DEPTH + " deep");
                    }
                    if (++elements > maxElements) {
                        throw new CensusFormatException(where(), "<" + top.name + "> has more than " + maxElements + " elements");
                    }
                    XmlElement child = new XmlElement(xml.getLocalName(), xml.getLocation().getLineNumber());
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

    /** Skips the element whose start tag is the current event (an element PupilFlow does not read). */
    private void skipElement(int depth) throws XMLStreamException {
        int open = 1;
        while (open > 0) {
            int event = nextEvent();
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

    /** The next parser event; a DTD or an entity reference anywhere rejects the file. */
    private int nextEvent() throws XMLStreamException {
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

    private static String safeName(String name) {
        return name == null ? "" : RecordIssues.quote(name).replace("'", "");
    }

    private CensusFormatException malformed(XMLStreamException e) {
        if (input.exceeded()) {
            return new CensusFormatException(where(), (pupils == 0 ? "The content before the first Pupil" : "Pupil[" + pupils + "] or what follows it")
                    + " is larger than " + maxRegionBytes + " bytes; a record that large is not a pupil");
        }
        Location at = e.getLocation() != null ? e.getLocation() : safeLocation();
        return new CensusFormatException(describe(at), "Malformed XML: " + parserMessage(e), e);
    }

    private String where() {
        return describe(safeLocation());
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

    @Override
    public void close() throws IOException {
        state = State.DONE;
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // Closing only releases the parser; the caller's stream stays open.
        }
    }
}
