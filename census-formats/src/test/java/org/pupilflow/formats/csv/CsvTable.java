package org.pupilflow.formats.csv;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** A generated CSV return as a table of cells, to break or rearrange in tests and write back. */
final class CsvTable {

    final List<String> header;
    final List<List<String>> rows;

    private CsvTable(List<String> header, List<List<String>> rows) {
        this.header = header;
        this.rows = rows;
    }

    static CsvTable of(String csv) {
        try {
            List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : records.subList(1, records.size())) {
                rows.add(new ArrayList<>(record.toList()));
            }
            return new CsvTable(new ArrayList<>(records.get(0).toList()), rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int column(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name);
        }
        return i;
    }

    String get(int row, String column) {
        return rows.get(row).get(column(column));
    }

    CsvTable set(int row, String column, String value) {
        rows.get(row).set(column(column), value);
        return this;
    }

    CsvTable removeColumn(String name) {
        int i = column(name);
        header.remove(i);
        for (List<String> row : rows) {
            row.remove(i);
        }
        return this;
    }

    CsvTable addColumn(String name, String value) {
        header.add(name);
        for (List<String> row : rows) {
            row.add(value);
        }
        return this;
    }

    /** Reverses the column order of the header and every row. */
    CsvTable reverseColumns() {
        java.util.Collections.reverse(header);
        for (List<String> row : rows) {
            java.util.Collections.reverse(row);
        }
        return this;
    }

    String text() {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(header);
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
