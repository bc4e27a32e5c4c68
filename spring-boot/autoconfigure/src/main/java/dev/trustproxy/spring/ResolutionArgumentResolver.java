package dev.trustproxy.spring;

import dev.trustproxy.Resolution;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * A controller parameter of type {@link Resolution} receives the current request's answer (the
 * request attribute {@link Resolution#ATTRIBUTE}, set by whichever adapter the starter wired), or
 * null for a request without an IP peer (a Unix domain socket).
 */
final class ResolutionArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Resolution.class;
  }

  @Override
  public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
    return webRequest.getAttribute(Resolution.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
  }
}
