package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened as a browser would (HtmlUnit, JavaScript on, no network): its sections,
 * tables and charts are there and hold the run's figures, and it asks for nothing outside itself.
 */
class HtmlReportTest {
    @TempDir
    Path dir;

    private static HtmlPage open(Path file) throws IOException {
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setJavaScriptEnabled(true);
            browser.getOptions().setCssEnabled(true);
            return browser.getPage(file.toUri().toURL());
        }
    }

    @Test
    void aQuantizeRunAsOnePage() throws IOException {
        Path report = dir.resolve("q.html");
        CliTest.Run r = CliTest.run("quantize", Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString(), "-o",
                dir.resolve("q.onnx").toString(), "--calib", Path.of("..", "testdata", "quant", "calib.npz").toString(),
                "--sensitivity", "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String text = Files.readString(report);
        assertFalse(text.contains("http://") && !text.contains("xmlns=\"http://www.w3.org/2000/svg\""), "no link out");
        assertFalse(text.contains("<script") || text.contains("<link") || text.contains("src="), "self-contained");
        HtmlPage page = open(report);
        assertTrue(page.getTitleText().contains("int8-tensorrt"), page.getTitleText());
        for (String section : List.of("ops", "rules", "verify", "calibrate", "quantize", "evaluate", "sensitivity", "lint")) {
            assertTrue(page.getElementById(section) != null, "section " + section);
        }
        List<HtmlTable> tables = page.getByXPath("//table");
        assertTrue(tables.size() >= 6, tables.size() + " tables");
        HtmlTable ops = tables.get(0);
        assertTrue(ops.getRows().stream().anyMatch(row -> row.getCell(0).asNormalizedText().equals("QuantizeLinear")
                && row.getCell(1).asNormalizedText().equals("0") && !row.getCell(2).asNormalizedText().equals("0")),
                "QuantizeLinear: none before, some after");
        DomElement opsChart = page.getElementById("ops-chart");
        DomElement sensitivity = page.getElementById("sensitivity-chart");
        assertTrue(opsChart != null && sensitivity != null, "both charts");
        assertEquals(2 * (ops.getRowCount() - 1), bars(page, "ops-chart"), "a bar per op, before and after");
        int groups = page.getByXPath("//h2[@id='sensitivity']/following-sibling::table[1]//tr").size() - 1;
        assertEquals(5, groups, "three Convs and two pools; the Gemm head is too small for int8 to pay");
        assertEquals(groups, bars(page, "sensitivity-chart"), "a bar per layer group");
        assertTrue(page.asNormalizedText().contains("every check passed"), page.asNormalizedText());
    }

    private static int bars(HtmlPage page, String chart) {
        return page.getByXPath("//*[local-name()='svg'][@id='" + chart + "']//*[local-name()='rect']").size();
    }

    @Test
    void aRunThatFailsSaysSoAndTheLintFindingsAreListed() throws IOException {
        Path cpu = dir.resolve("cpu.onnx");
        CliTest.Run q = CliTest.run("quantize", Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString(), "-o",
                cpu.toString(), "--calib", Path.of("..", "testdata", "quant", "calib.npz").toString(), "--target", "ort-cpu");
        assertEquals(0, q.code(), q.err());
        Path recipe = dir.resolve("lint.yaml");
        Files.writeString(recipe, "stages:\n  - lint: {}\n");
        Path report = dir.resolve("lint.html");
        CliTest.Run r = CliTest.run("run", recipe.toString(), "--model", cpu.toString(), "-o", dir.resolve("x.onnx").toString(),
                "--report", report.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        HtmlPage page = open(report);
        assertTrue(page.asNormalizedText().contains("nothing was written"), page.asNormalizedText());
        List<DomElement> errors = page.getByXPath("//tr[@class='error']");
        assertTrue(errors.size() > 5, errors.size() + " error rows");
        assertTrue(errors.get(0).asNormalizedText().contains("qdq-"), errors.get(0).asNormalizedText());
    }

    @Test
    void benchmarkLatencyCharts() throws IOException {
        Path report = dir.resolve("b.html");
        CliTest.Run r = CliTest.run("benchmark", Path.of("..", "testdata", "quant", "plain_cnn.onnx").toString(), "--runs", "5",
                "--no-int8", "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        HtmlPage page = open(report);
        assertEquals(3, page.getByXPath("//table//tr").size() - 1, "original, optimized, fp16");
        assertEquals(9, bars(page, "latency-chart-0"), "p50, p90, p99 for each variant");
    }

    @Test
    void perLayerErrorOfAnInt8ModelAgainstItsFloatModel() throws IOException {
        Path model = Path.of("..", "testdata", "quant", "plain_cnn.onnx");
        Path int8 = dir.resolve("int8.onnx");
        CliTest.Run q = CliTest.run("quantize", model.toString(), "-o", int8.toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString());
        assertEquals(0, q.code(), q.err());
        Path report = dir.resolve("layers.html");
        CliTest.Run c = CliTest.run("compare", model.toString(), int8.toString(), "--layers", "--report", report.toString());
        assertEquals(1, c.code(), "int8 is not equal within float tolerances: " + c.out());
        HtmlPage page = open(report);
        int rows = page.getByXPath("//table//tr").size() - 1;
        assertTrue(rows >= 5, rows + " shared values");
        assertEquals(rows, bars(page, "layer-error-chart"), "a bar per value");
        assertTrue(page.asNormalizedText().contains("first divergence at"), page.asNormalizedText());
    }
}
