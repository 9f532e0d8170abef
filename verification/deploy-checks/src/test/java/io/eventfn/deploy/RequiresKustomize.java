package io.eventfn.deploy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The annotated test class renders deploy/ with Kustomize: it is skipped, saying why, where neither kubectl nor
 * kustomize can be found (a user's machine without them; every machine that deploys to Kubernetes has kubectl).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresKustomize.Condition.class)
@interface RequiresKustomize {

    final class Condition implements ExecutionCondition {

        private static boolean reported;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Kustomize.find().isPresent()) {
                return ConditionEvaluationResult.enabled("Kustomize: " + Kustomize.find().get());
            }
            String reason = "[deploy-checks] skipped: " + Kustomize.notFound();
            synchronized (Condition.class) {
                if (!reported) {
                    System.err.println(reason);
                    reported = true;
                }
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
