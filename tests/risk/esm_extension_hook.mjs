// Node module-resolution hook for the CVSS differential test: @pandatix/js-cvss 0.4.4 ships
// ES modules whose relative imports omit ".js", which Node's ESM loader refuses; this retries
// such an import with the extension. Test tooling only.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.') && !specifier.endsWith('.js')) {
      return next(specifier + '.js', context);
    }
    throw e;
  }
}
