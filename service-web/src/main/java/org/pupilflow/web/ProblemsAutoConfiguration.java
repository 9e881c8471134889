package org.pupilflow.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Problem documents for every error of a PupilFlow service ({@link ApiProblems} inside Spring MVC,
 * {@link ProblemErrorController} for the rest) and the limit on JSON bodies ({@link RequestBodyLimit}).
 * Runs before Spring Boot's error handling so its error controller replaces Boot's default one.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
public class ProblemsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApiProblems apiProblems(WebProperties properties) {
        return new ApiProblems(properties);
    }

    @Bean
    RequestBodyLimit requestBodyLimit(WebProperties properties) {
        return new RequestBodyLimit(properties);
    }

    /** Requests Tomcat refuses before the application sees them get a problem document too. */
    @Bean
    @ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemReportValve() {
        return factory -> factory.addContextCustomizers(context -> ProblemReportValve.install(context.getParent()));
    }

    /** Where the service publishes an API reference (springdoc): its problem types and the generic error answers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
    static class ApiReference {
        @Bean
        ProblemsOpenApi problemsInApiReference(ObjectProvider<ProblemTypes> contributions) {
            return new ProblemsOpenApi(ProblemTypes.all(contributions.orderedStream().toList()));
        }
    }

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController problemErrorController(ErrorAttributes errors, WebProperties properties) {
        return new ProblemErrorController(errors, properties);
    }
}
