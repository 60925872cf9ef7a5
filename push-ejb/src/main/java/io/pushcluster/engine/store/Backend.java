package io.pushcluster.engine.store;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names a {@link MessageStore} backend; the value is what {@code push.store} selects it by. */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Backend {

    String value();

    /** For selecting a backend by name at run time. */
    final class Named extends AnnotationLiteral<Backend> implements Backend {

        private static final long serialVersionUID = 1L;
        private final String value;

        public Named(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
