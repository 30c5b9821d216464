// Fails unless the tag being released (argument, or GITHUB_REF_NAME) is `v` followed by
// package.json's version, so a tag can never publish a package of another version.
// Used by .github/workflows/release.yml; tested by test/unit/release.test.ts.
'use strict';
const fs = require('fs');
const path = require('path');

/** The problem with releasing `tag` for `version`, or undefined when they agree. */
function releaseTagProblem(tag, version) {
  if (typeof tag !== 'string' || tag === '') return 'no tag was given';
  if (tag !== `v${version}`) return `the tag ${tag} does not match package.json's version ${version}: tag v${version}, or change the version first`;
  return undefined;
}

module.exports = { releaseTagProblem };

if (require.main === module) {
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const problem = releaseTagProblem(process.argv[2] || process.env.GITHUB_REF_NAME, version);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  process.stdout.write(`releasing v${version}\n`);
}
