package org.onnx2trt.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layout, enforced: dependencies flow one way (dsl-grammar ← onnx-ir ← rewrite-engine ←
 * rules; verifier on rewrite-engine; quant-recipes and engine-builder below pipeline; cli and bench on
 * top), only the verifier knows onnxruntime, only the engine builder knows TensorRT, and the command
 * line runs no stage itself. Maven already refuses an import of a module that is not a dependency;
 * this catches the upward dependency that a pom change would let through. Main classes only: tests
 * may reach across (a rule test runs onnxruntime).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.onnx2trt");
    }

    @Test
    void modulesDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true) // engine-builder is empty yet
                .layer("dsl-grammar").definedBy("org.onnx2trt.dsl..")
                .layer("onnx-ir").definedBy("org.onnx2trt.proto..", "org.onnx2trt.io..", "org.onnx2trt.ir..",
                        "org.onnx2trt.tensor..", "org.onnx2trt.shape..", "org.onnx2trt.text..", "org.onnx2trt.builder..",
                        "org.onnx2trt.inspect..", "org.onnx2trt.sample..", "org.onnx2trt.exec..")
                .layer("rewrite-engine").definedBy("org.onnx2trt.rewrite..", "org.onnx2trt.transform..")
                .layer("rules").definedBy("org.onnx2trt.rules..")
                .layer("verifier").definedBy("org.onnx2trt.verify..")
                .layer("quant-recipes").definedBy("org.onnx2trt.quant..")
                .layer("engine-builder").definedBy("org.onnx2trt.trt..")
                .layer("pipeline").definedBy("org.onnx2trt.pipeline..", "org.onnx2trt.recipe..")
                .layer("bench").definedBy("org.onnx2trt.bench..")
                .layer("cli").definedBy("org.onnx2trt.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("bench").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("bench", "cli")
                .whereLayer("engine-builder").mayOnlyBeAccessedByLayers("pipeline", "bench", "cli")
                .whereLayer("quant-recipes").mayOnlyBeAccessedByLayers("pipeline", "bench", "cli")
                .whereLayer("verifier").mayOnlyBeAccessedByLayers("quant-recipes", "pipeline", "bench", "cli")
                .whereLayer("rules").mayOnlyBeAccessedByLayers("quant-recipes", "pipeline", "bench", "cli")
                .whereLayer("rewrite-engine").mayOnlyBeAccessedByLayers("rules", "verifier", "quant-recipes", "pipeline",
                        "bench", "cli")
                .whereLayer("onnx-ir").mayOnlyBeAccessedByLayers("rewrite-engine", "rules", "verifier", "quant-recipes",
                        "engine-builder", "pipeline", "bench", "cli")
                .check(classes);
    }

    @Test
    void onlyTheVerifierKnowsOnnxRuntime() {
        noClasses().that().resideOutsideOfPackage("org.onnx2trt.verify..")
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .because("transforms reach a runtime through ModelExecutor, implemented by the verifier")
                .check(classes);
    }

    @Test
    void onlyTheEngineBuilderKnowsTensorRt() {
        noClasses().that().resideOutsideOfPackage("org.onnx2trt.trt..")
                .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .check(classes);
    }

    @Test
    void theCommandLineRunsNoStageItself() {
        noClasses().that().resideInAPackage("org.onnx2trt.cli..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.onnx2trt.rewrite.Rewriter")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.onnx2trt.rewrite.RuleSetPass")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.onnx2trt.rewrite.Program")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.onnx2trt.verify.Bisection")
                .orShould().callMethodWhere(JavaCall.Predicates.target(
                        DescribedPredicate.describe("a transform (reading its report is fine)",
                                t -> t.getOwner().getPackageName().equals("org.onnx2trt.transform")
                                        && !t.getOwner().isNestedClass())))
                .because("stages run in org.onnx2trt.pipeline; the command line renders their reports")
                .check(classes);
    }
}
