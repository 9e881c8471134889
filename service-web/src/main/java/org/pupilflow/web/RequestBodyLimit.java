package org.pupilflow.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Caps every body Spring MVC reads into an object ({@code @RequestBody}, i.e. the JSON APIs) at
 * {@code pupilflow.web.max-json-body}: a declared {@code Content-Length} over the limit is refused
 * before anything is read, and a body without one is cut off when it passes the limit. Either way
 * the client gets 413, never a 500 or an out-of-memory service.
 */
@RestControllerAdvice
public class RequestBodyLimit extends RequestBodyAdviceAdapter {

    static final String SETTING = "pupilflow.web.max-json-body";

    private final long limit;

    public RequestBodyLimit(WebProperties properties) {
        this.limit = properties.maxJsonBody().toBytes();
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        long declared = input.getHeaders().getContentLength();
        if (declared > limit) {
            throw new RequestTooLargeException("The request body (" + declared + " bytes)", limit, SETTING);
        }
        InputStream body = new Limited(input.getBody(), limit);
        HttpHeaders headers = input.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    /** Counts what is read and stops at the limit. */
    static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) {
            count += n;
            if (count > limit) {
                throw new RequestTooLargeException("The request body", limit, SETTING);
            }
        }
    }
}
