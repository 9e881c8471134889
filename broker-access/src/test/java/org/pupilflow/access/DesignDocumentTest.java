package org.pupilflow.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;

/** DESIGN.md's topic table is the catalog's, so the document cannot drift from the code. */
class DesignDocumentTest {

    private static final Path DESIGN = Path.of("..", "DESIGN.md");
    static final String START = "<!-- topic-catalog:start -->";
    static final String END = "<!-- topic-catalog:end -->";

    @Test
    void theTopicTableInDesignMdIsTheCatalogs() throws IOException {
        String block = TopicTable.between(Files.readString(DESIGN), START, END);

        assertThat(block).as("DESIGN.md needs the topic table between %s and %s", START, END).isNotNull();
        assertThat(block).as("DESIGN.md's topic table differs from the catalog; replace it with `java -jar pupilflow-admin/target/"
                + "pupilflow-admin-0.1.0-SNAPSHOT-cli.jar catalog`").isEqualTo(TopicTable.markdown());
    }

    @Test
    void thePrincipalsTableInDesignMdIsDerivedFromTheCatalog() throws IOException {
        String block = TopicTable.between(Files.readString(DESIGN), "<!-- principals:start -->", "<!-- principals:end -->");

        assertThat(block).as("DESIGN.md needs the principals table between its markers").isNotNull();
        assertThat(block).as("DESIGN.md's principals table differs from the catalog; replace it with `pupilflow-admin catalog --principals`")
                .isEqualTo(TopicTable.principalsMarkdown());
    }

    @Test
    void theTableHasARowForEveryTopicOfTheCatalog() {
        String table = TopicTable.markdown();

        for (TopicSpec topic : TopicCatalog.fixed()) {
            assertThat(table).contains("| `" + topic.name() + "`");
        }
        assertThat(table).contains("`recipient.<id>`");
    }
}
