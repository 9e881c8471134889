package org.pupilflow.formats.ctf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Names;
import org.pupilflow.census.Parent;
import org.pupilflow.formats.Samples;
import org.pupilflow.formats.write.ReturnHeader;

class CtfXmlWriterTest {

    private static final int SIZE = Samples.SIZE;
    private static final LocalDateTime GENERATED_AT = LocalDateTime.of(2026, 1, 16, 9, 30, 15, 123_000_000);
    private static final ReturnHeader SPEC = new ReturnHeader("926", 2025, org.pupilflow.census.CensusTerm.SPRING, Samples.CENSUS_DAY,
            "SYN-926-2025-SPRING-16", GENERATED_AT);

    @TempDir
    static Path dir;
    private static Path file;
    private static Element document;
    private static List<CensusPupil> census;

    @BeforeAll
    static void writeAndParse() throws Exception {
        census = Samples.pupils(SIZE);
        file = dir.resolve("census.xml");
        write(file, census);
        document = parse(file);
    }

    @Test
    void theRootIsACtfileWithHeaderAndPupilData() {
        assertThat(document.name).isEqualTo("CTfile");
        assertThat(document.children).extracting(e -> e.name).containsExactly("Header", "CTFpupilData");
    }

    @Test
    void theHeaderGivesTheVersionGenerationTimeAndCensusDate() {
        Element header = document.child("Header");

        assertThat(header.text("CTFversion")).isEqualTo(CtfXmlWriter.CTF_VERSION);
        assertThat(header.text("DateTime")).isEqualTo("2026-01-16T09:30:15");
        assertThat(header.text("SourceSchool/LEA")).isEqualTo("926");
        assertThat(header.text("CollectionDetails/CensusDate")).isEqualTo(SPEC.censusDay().toString());
        assertThat(header.text("CollectionDetails/ReturnID")).isEqualTo(SPEC.returnId());
        assertThat(header.text("CollectionDetails/Term")).isEqualTo("SPRING");
    }

    @Test
    void thereIsOnePupilElementPerPupil() {
        assertThat(document.child("CTFpupilData").children).hasSize(SIZE).allSatisfy(e -> assertThat(e.name).isEqualTo("Pupil"));
    }

    @Test
    void theFirstPupilsIdentityMatchesTheGeneratedRecord() {
        // A fresh copy, not the list written, so the check does not lean on the writer leaving its input alone.
        CensusPupil first = Samples.pupils(1).get(0);
        Element pupil = pupils().get(0);

        assertThat(pupil.text("UPN")).isEqualTo(first.getIdentity().getUpn());
        assertThat(pupil.text("Surname")).isEqualTo(first.getNames().getLegalSurname());
        assertThat(pupil.text("Forename")).isEqualTo(first.getNames().getLegalForename());
        assertThat(pupil.text("DOB")).isEqualTo(first.getDateOfBirth().toString());
        assertThat(pupil.text("Sex")).isEqualTo(first.getSex());
        assertThat(pupil.text("BasicDetails/NCyearActual")).isEqualTo(first.getEnrolment().getNcYearActual());
    }

    @Test
    void everyPupilElementCarriesItsRecordsIdentityInOrder() {
        List<Element> pupils = pupils();
        for (int i = 0; i < SIZE; i++) {
            CensusPupil expected = census.get(i);
            Element pupil = pupils.get(i);
            assertThat(pupil.text("UPN")).isEqualTo(expected.getIdentity().getUpn());
            assertThat(pupil.optionalText("UniqueLearnerNumber")).isEqualTo(Optional.ofNullable(expected.getIdentity().getUln()));
            assertThat(pupil.optionalText("BasicDetails/FormerUPN")).isEqualTo(Optional.ofNullable(expected.getIdentity().getFormerUpn()));
            assertThat(pupil.text("BasicDetails/NCyearActual")).isEqualTo(expected.getEnrolment().getNcYearActual());
            assertThat(pupil.text("SchoolHistory/School/Estab")).isEqualTo(expected.getSchool().getEstablishmentNumber());
        }
    }

    @Test
    void aContactLivingElsewhereHasTheirOwnAddressInsteadOfAddressAsPupil() {
        int index = indexOf(p -> p.getParents().stream().anyMatch(parent -> !parent.getAddressSameAsPupil()));
        CensusPupil expected = census.get(index);
        List<Element> contacts = pupils().get(index).child("Contacts").children;

        assertThat(contacts).hasSameSizeAs(expected.getParents());
        for (Parent parent : expected.getParents()) {
            Element contact = contacts.stream().filter(c -> c.text("Order").equals(Integer.toString(parent.getOrder()))).findFirst().orElseThrow();
            if (parent.getAddressSameAsPupil()) {
                assertThat(contact.text("AddressAsPupil")).isEqualTo("true");
                assertThat(contact.find("Address")).isEmpty();
            } else {
                assertThat(contact.find("AddressAsPupil")).isEmpty();
                assertThat(contact.text("Address/PostCode")).isEqualTo(parent.getAddress().getPostcode());
                assertThat(contact.text("Address/AddressLines/AddressLine1")).isEqualTo(parent.getAddress().getLines().get(0));
            }
        }
    }

    @Test
    void assessmentsAppearUnderTheirStageCode() {
        int reception = indexOf(p -> p.getEnrolment().getNcYearActual().equals("R"));
        int yearSix = indexOf(p -> p.getEnrolment().getNcYearActual().equals("6"));
        int yearThree = indexOf(p -> p.getEnrolment().getNcYearActual().equals("3"));

        assertThat(pupils().get(reception).text("StageAssessments/KeyStage/Stage")).isEqualTo("FSP");
        assertThat(pupils().get(reception).child("StageAssessments").child("KeyStage").children)
                .filteredOn(e -> e.name.equals("StageAssessment")).hasSize(census.get(reception).getEarlyYearsFoundationStage().size());
        assertThat(pupils().get(yearSix).text("StageAssessments/KeyStage/Stage")).isEqualTo("KS2");
        assertThat(pupils().get(yearThree).find("StageAssessments")).isEmpty();
    }

    @Test
    void textThatLooksLikeMarkupIsEscaped(@TempDir Path elsewhere) throws Exception {
        CensusPupil generated = census.get(0);
        CensusPupil awkward = CensusPupil.newBuilder(generated)
                .setNames(Names.newBuilder(generated.getNames()).setLegalSurname("O'Brien & <Sons> \"Jr\"").build())
                .build();
        Path awkwardFile = elsewhere.resolve("awkward.xml");

        write(awkwardFile, List.of(awkward));

        assertThat(parse(awkwardFile).child("CTFpupilData").child("Pupil").text("Surname")).isEqualTo("O'Brien & <Sons> \"Jr\"");
    }

    @Test
    void anEmptyCensusIsStillAWellFormedDocument(@TempDir Path elsewhere) throws Exception {
        Path empty = elsewhere.resolve("empty.xml");

        write(empty, List.of());

        Element root = parse(empty);
        assertThat(root.child("CTFpupilData").children).isEmpty();
        assertThat(root.text("Header/CollectionDetails/CensusDate")).isEqualTo(SPEC.censusDay().toString());
    }

    @Test
    void learnersWithUlnsHaveThemWritten(@TempDir Path elsewhere) throws Exception {
        List<CensusPupil> learners = Samples.pupils(SIZE).stream().filter(p -> p.getIdentity().getUln() != null).limit(50).toList();
        Path learnersFile = elsewhere.resolve("learners.xml");

        write(learnersFile, learners);

        assertThat(learners).as("the sample has learners with ULNs").hasSizeGreaterThanOrEqualTo(10);
        assertThat(parse(learnersFile).child("CTFpupilData").children).extracting(p -> p.text("UniqueLearnerNumber"))
                .containsExactlyElementsOf(learners.stream().map(p -> p.getIdentity().getUln()).toList());
    }

    private static int indexOf(Predicate<CensusPupil> wanted) {
        for (int i = 0; i < census.size(); i++) {
            if (wanted.test(census.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no generated pupil fits; the census mix has changed");
    }

    private static List<Element> pupils() {
        return document.child("CTFpupilData").children;
    }

    private static void write(Path target, Iterable<CensusPupil> pupils) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            new CtfXmlWriter(out, SPEC).writeAll(pupils);
        }
    }

    /** Parses with the JDK's StAX reader, DTDs off, into a small element tree (whitespace-only text dropped). */
    static Element parse(Path xml) throws IOException, XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        Deque<Element> open = new ArrayDeque<>();
        Element root = null;
        try (InputStream in = Files.newInputStream(xml)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        Element element = new Element(reader.getLocalName());
                        if (open.isEmpty()) {
                            root = element;
                        } else {
                            open.peek().children.add(element);
                        }
                        open.push(element);
                    }
                    case XMLStreamConstants.CHARACTERS -> {
                        if (!reader.isWhiteSpace()) {
                            open.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> open.pop();
                    default -> { }
                }
            }
            reader.close();
        }
        return root;
    }

    static final class Element {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Element(String name) {
            this.name = name;
        }

        Element child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no " + childName + " child"));
        }

        /** The first element along a slash-separated path of child names. */
        Optional<Element> find(String path) {
            Element at = this;
            for (String step : path.split("/")) {
                Optional<Element> next = at.children.stream().filter(c -> c.name.equals(step)).findFirst();
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                at = next.get();
            }
            return Optional.of(at);
        }

        String text(String path) {
            return find(path).map(e -> e.text.toString()).orElseThrow(() -> new AssertionError(name + " has no " + path));
        }

        Optional<String> optionalText(String path) {
            return find(path).map(e -> e.text.toString());
        }
    }
}
