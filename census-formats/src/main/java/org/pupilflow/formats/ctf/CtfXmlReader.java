package org.pupilflow.formats.ctf;

import static org.pupilflow.formats.ctf.CtfElements.ACADEMIC_YEAR;
import static org.pupilflow.formats.ctf.CtfElements.CENSUS_DATE;
import static org.pupilflow.formats.ctf.CtfElements.COLLECTION_DETAILS;
import static org.pupilflow.formats.ctf.CtfElements.DATE_TIME;
import static org.pupilflow.formats.ctf.CtfElements.HEADER;
import static org.pupilflow.formats.ctf.CtfElements.LEA;
import static org.pupilflow.formats.ctf.CtfElements.PUPIL;
import static org.pupilflow.formats.ctf.CtfElements.PUPIL_DATA;
import static org.pupilflow.formats.ctf.CtfElements.ROOT;
import static org.pupilflow.formats.ctf.CtfElements.SOURCE_SCHOOL;
import static org.pupilflow.formats.ctf.CtfElements.TERM;
import static org.pupilflow.formats.ctf.CtfElements.path;

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
 * Reads a census return in Common Transfer File XML (root {@code CTfile}, {@code Header},
 * {@code CTFpupilData/Pupil}*) with the JDK's StAX parser, one {@code Pupil} at a time: only the
 * header's census context and the current pupil's elements are held. The parser is locked down
 * and the size of any one pupil limited: see {@link XmlRecordStream}.
 *
 * <h2>Mapping</h2>
 * The inverse of {@link CtfXmlWriter}, and what schools' MIS write (DfE CTF 25.0); see
 * {@code CtfPupilMapper} for the element paths, the defaults of absent optional parts and the
 * required fields. Element names are matched on local names, case-sensitively; namespaces are
 * ignored. Unknown elements anywhere are skipped, and the order of a pupil's elements does not
 * matter (repeated elements keep their document order, contacts are sorted by {@code Order}).
 *
 * <h2>Census context</h2>
 * Decided by {@link CensusContextResolver}: the term and census day from
 * {@code Header/CollectionDetails/Term} and {@code CensusDate} (PupilFlow's additions) when the
 * file has them, else the upload's, else the DfE rule for the term the file was made in
 * ({@code Header/DateTime}) and the academic year of {@code Header/SourceSchool/AcademicYear}; the
 * LA from {@code Header/SourceSchool/LEA}, else the upload's. The pupil's school is its current
 * {@code SchoolHistory/School}, else the sending school, {@code Header/SourceSchool}. The header
 * must precede {@code CTFpupilData}, as it does in every CTF.
 */
public final class CtfXmlReader implements CensusReader {

    static final int MAX_DEPTH = XmlRecordStream.MAX_DEPTH;
    static final int MAX_ELEMENTS = XmlRecordStream.MAX_ELEMENTS;
    static final long MAX_REGION_BYTES = XmlRecordStream.MAX_REGION_BYTES;

    private enum State { PROLOG, IN_ROOT, IN_PUPIL_DATA, DONE }

    private final ReturnContext context;
    private final XmlRecordStream xml;
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
                                throw new CensusFormatException(xml.where(), "Not a Common Transfer File: the root element is <"
                                        + XmlRecordStream.safeName(xml.localName()) + ">, expected <" + ROOT + ">");
                            }
                            state = State.IN_ROOT;
                        } else if (event == XMLStreamConstants.END_DOCUMENT) {
                            throw new CensusFormatException(xml.where(), "Not a Common Transfer File: the document has no root element");
                        }
                    }
                    case IN_ROOT -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if (HEADER.equals(xml.localName())) {
                                xml.startRegion();
                                header(xml.readElement(1));
                                xml.startRegion();
                            } else if (PUPIL_DATA.equals(xml.localName())) {
                                state = State.IN_PUPIL_DATA;
                            } else {
                                xml.skipElement(1);
                            }
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            xml.finishDocument();
                            state = State.DONE;
                        }
                    }
                    case IN_PUPIL_DATA -> {
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            if (PUPIL.equals(xml.localName())) {
                                return pupil();
                            }
                            xml.skipElement(2);
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            state = State.IN_ROOT;
                        }
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw xml.malformed(e, pupils == 0 ? "The content before the first " + PUPIL : PUPIL + "[" + pupils + "] or what follows it");
        }
    }

    private ParsedRecord pupil() throws XMLStreamException {
        long index = ++pupils;
        String location = location(index, xml.line());
        xml.startRegion();
        XmlElement pupil = xml.readElement(2);
        xml.startRegion();
        if (mapper == null) {
            // No Header before the pupils: the return's context alone.
            header(null);
        }
        return mapper.map(pupil, index, location);
    }

    /** Where the pupil with the given 1-based index, whose start tag is on {@code line}, is: {@code "Pupil[17] (line 2031)"}. */
    public static String location(long index, int line) {
        return PUPIL + "[" + index + "] (line " + line + ")";
    }

    private void header(XmlElement header) {
        String headerPath = HEADER + "/";
        RecordIssues issues = new RecordIssues(HEADER);
        FileCensus file = new FileCensus(
                Value.of(text(header, path(COLLECTION_DETAILS, TERM)), headerPath + path(COLLECTION_DETAILS, TERM)),
                Value.of(text(header, path(COLLECTION_DETAILS, CENSUS_DATE)), headerPath + path(COLLECTION_DETAILS, CENSUS_DATE)),
                Value.of(text(header, path(SOURCE_SCHOOL, ACADEMIC_YEAR)), headerPath + path(SOURCE_SCHOOL, ACADEMIC_YEAR)),
                FileCensus.YearMeaning.ACADEMIC_YEAR_START,
                Value.of(text(header, DATE_TIME), headerPath + DATE_TIME),
                Value.of(text(header, path(SOURCE_SCHOOL, LEA)), headerPath + path(SOURCE_SCHOOL, LEA)),
                true, FileCensus.ISO_DATE, "YYYY-MM-DD");
        CensusContextResolver.Resolution census = CensusContextResolver.resolve(context, issues, file);
        mapper = new CtfPupilMapper(census, issues.list(), header == null ? null : header.child(SOURCE_SCHOOL));
    }

    private static String text(XmlElement header, String path) {
        return header == null ? null : header.text(path);
    }

    @Override
    public void close() throws IOException {
        state = State.DONE;
        xml.close();
    }
}
