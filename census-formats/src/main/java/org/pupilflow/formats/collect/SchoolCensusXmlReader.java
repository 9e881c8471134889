package org.pupilflow.formats.collect;

import static org.pupilflow.formats.collect.SchoolCensusElements.*;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

import org.pupilflow.formats.census.CensusContextResolver;
import org.pupilflow.formats.census.FileCensus;
import org.pupilflow.formats.census.FileCensus.Value;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.CensusReader;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.xml.XmlElement;
import org.pupilflow.formats.xml.XmlRecordStream;

/**
 * Reads a school census return (COLLECT XML, root {@code Message}) with the JDK's StAX parser, one
 * {@code PupilOnRoll} at a time: only the header, the school's information and the current pupil
 * are held. The parser is locked down and the size of any one pupil limited: see
 * {@link XmlRecordStream}.
 *
 * <h2>Structure</h2>
 * {@code Header} (collection details and source) and {@code SchoolInformation} come before
 * {@code Pupils}; pupils on roll are {@code Pupils/PupilsOnRoll/PupilOnRoll} (or directly
 * {@code Pupils/PupilOnRoll}). Pupils no longer on roll, classes and every other element are
 * skipped: PupilFlow shares what is known about pupils on roll on census day. A return of another
 * COLLECT collection ({@code Header/CollectionDetails/Collection} other than SC) is refused.
 *
 * <h2>Census context</h2>
 * Decided by {@link CensusContextResolver}: the term from {@code Header/CollectionDetails/Term}
 * (AUT, SPR, SUM), the census day from {@code ReferenceDate}, else the upload's, else the DfE rule
 * for the term and {@code Year} (read as the calendar year of the census day); the LA from
 * {@code Header/Source/LEA}, else the school's location, else the upload's. The mapping of a
 * pupil is in {@code SchoolCensusPupilMapper}.
 */
public final class SchoolCensusXmlReader implements CensusReader {

    private enum State { PROLOG, IN_ROOT, IN_PUPILS, IN_PUPILS_ON_ROLL, DONE }

    private final ReturnContext context;
    private final XmlRecordStream xml;
    private State state = State.PROLOG;
    private long pupils;
    private XmlElement header;
    private XmlElement schoolInformation;
    private SchoolCensusPupilMapper mapper;
    /** The structural problem already found: every later call throws it again. */
    private CensusFormatException failure;

    public SchoolCensusXmlReader(InputStream xml, ReturnContext context) {
        this(xml, context, XmlRecordStream.MAX_REGION_BYTES, XmlRecordStream.MAX_ELEMENTS);
    }

    /** With smaller limits, for tests. */
    SchoolCensusXmlReader(InputStream xml, ReturnContext context, long maxRegionBytes, int maxElements) {
        this.context = Objects.requireNonNull(context, "context");
        this.xml = new XmlRecordStream(Objects.requireNonNull(xml, "xml"), maxRegionBytes, maxElements);
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
                int event = xml.next();
                switch (state) {
                    case PROLOG -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if (!ROOT.equals(xml.localName())) {
                                throw new CensusFormatException(xml.where(), "Not a school census return: the root element is <"
                                        + XmlRecordStream.safeName(xml.localName()) + ">, expected <" + ROOT + ">");
                            }
                            state = State.IN_ROOT;
                        } else if (event == XMLStreamConstants.END_DOCUMENT) {
                            throw new CensusFormatException(xml.where(), "Not a school census return: the document has no root element");
                        }
                    }
                    case IN_ROOT -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            switch (xml.localName()) {
                                case HEADER -> header = region(1);
                                case SCHOOL_INFORMATION -> schoolInformation = region(1);
                                case PUPILS -> state = State.IN_PUPILS;
                                default -> xml.skipElement(1);
                            }
                            if (header != null && mapper == null) {
                                checkCollection();
                            }
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            xml.finishDocument();
                            state = State.DONE;
                        }
                    }
                    case IN_PUPILS -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if (PUPIL_ON_ROLL.equals(xml.localName())) {
                                return pupil(2);
                            }
                            if (PUPILS_ON_ROLL.equals(xml.localName())) {
                                state = State.IN_PUPILS_ON_ROLL;
                            } else {
                                xml.skipElement(2);
                            }
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            state = State.IN_ROOT;
                        }
                    }
                    case IN_PUPILS_ON_ROLL -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if (PUPIL_ON_ROLL.equals(xml.localName())) {
                                return pupil(3);
                            }
                            xml.skipElement(3);
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            state = State.IN_PUPILS;
                        }
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw xml.malformed(e, pupils == 0 ? "The content before the first " + PUPIL_ON_ROLL : PUPIL_ON_ROLL + "[" + pupils + "] or what follows it");
        }
    }

    /** Reads the element at the current start tag as a region of its own. */
    private XmlElement region(int depth) throws XMLStreamException {
        xml.startRegion();
        XmlElement element = xml.readElement(depth);
        xml.startRegion();
        return element;
    }

    private void checkCollection() {
        String collection = header.text(path(COLLECTION_DETAILS, COLLECTION));
        if (collection != null && !SchoolCensusCodes.SCHOOL_CENSUS.equalsIgnoreCase(collection)) {
            throw new CensusFormatException("line " + header.line, "This COLLECT return is of the " + RecordIssues.quote(collection)
                    + " collection, not the school census (" + SchoolCensusCodes.SCHOOL_CENSUS + ")");
        }
    }

    private ParsedRecord pupil(int depth) throws XMLStreamException {
        long index = ++pupils;
        String location = PUPIL_ON_ROLL + "[" + index + "] (line " + xml.line() + ")";
        XmlElement pupil = region(depth);
        if (mapper == null) {
            mapper = mapper();
        }
        return mapper.map(pupil, index, location);
    }

    /** The census context and school every pupil of the return shares, from what came before the first pupil. */
    private SchoolCensusPupilMapper mapper() {
        String details = path(HEADER, COLLECTION_DETAILS) + "/";
        String source = path(HEADER, SOURCE) + "/";
        RecordIssues issues = new RecordIssues(HEADER);
        String la = text(header, path(SOURCE, LEA));
        String laField = source + LEA;
        if (la == null && schoolInformation != null && schoolInformation.within2(LEA) != null) {
            la = schoolInformation.within2(LEA).text();
            laField = SCHOOL_INFORMATION + "/" + LEA;
        }
        FileCensus file = new FileCensus(
                Value.of(text(header, path(COLLECTION_DETAILS, TERM)), details + TERM),
                Value.of(text(header, path(COLLECTION_DETAILS, REFERENCE_DATE)), details + REFERENCE_DATE),
                Value.of(text(header, path(COLLECTION_DETAILS, YEAR)), details + YEAR),
                FileCensus.YearMeaning.CENSUS_CALENDAR_YEAR,
                Value.of(text(header, path(SOURCE, DATE_TIME)), source + DATE_TIME),
                Value.of(la, laField),
                true, FileCensus.ISO_DATE, "YYYY-MM-DD");
        CensusContextResolver.Resolution census = CensusContextResolver.resolve(context, issues, file);
        SchoolOfReturn school = SchoolOfReturn.of(header, schoolInformation, issues);
        return new SchoolCensusPupilMapper(census, school, issues.list());
    }

    private static String text(XmlElement element, String path) {
        return element == null ? null : element.text(path);
    }

    @Override
    public void close() throws IOException {
        state = State.DONE;
        xml.close();
    }
}
