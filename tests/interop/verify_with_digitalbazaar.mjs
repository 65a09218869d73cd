// Verify a built credsite site with Digital Bazaar's reference implementation, offline.
//
//   node tests/interop/verify_with_digitalbazaar.mjs --site OUTPUT --base-url URL --context URL=FILE ...
//
// @digitalbazaar/vc with the eddsa-jcs-2022 and eddsa-rdfc-2022 cryptosuites (through
// @digitalbazaar/data-integrity) and @digitalbazaar/vc-bitstring-status-list. The document loader
// never touches the network: JSON-LD contexts come from the npm context packages (VC 2.0, DID v1,
// Multikey) or from files named with --context (the Open Badges 3.0 context credsite ships), the
// issuer's did:web document from the built /.well-known/did.json, status lists from the built
// /status/<n>. Everything else is refused.
//
// Checked: every credential file c/<ID>.json, every credential embedded in a page c/<ID>.html and
// every status list status/<n> (not status/freshness); each proof of a proof set on its own
// (the document with only that proof, verified with that proof's suite), and the whole set with
// a verifier that knows only one suite. Prints one JSON object per check on stdout: {item, kind,
// check, suite, verified, revoked, error}; `revoked` is the status list bit (null without a
// credentialStatus).

import fs from 'node:fs';
import path from 'node:path';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as rdfcCryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import didContext from 'did-context';
import multikeyContext from '@digitalbazaar/multikey-context';

const SUITES = {
  'eddsa-jcs-2022': () => new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()}),
  'eddsa-rdfc-2022': () => new DataIntegrityProof({cryptosuite: rdfcCryptosuite}),
};

function parseArgs(argv) {
  const args = {contexts: new Map()};
  for(let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if(name === '--site') {
      args.site = value;
    } else if(name === '--base-url') {
      args.baseUrl = value.replace(/\/$/, '');
    } else if(name === '--context') {
      const at = value.indexOf('=');
      args.contexts.set(value.slice(0, at),
        JSON.parse(fs.readFileSync(value.slice(at + 1), 'utf8')));
    } else {
      throw new Error(`unknown argument ${name}`);
    }
  }
  if(!args.site || !args.baseUrl) {
    throw new Error('usage: --site DIR --base-url URL [--context URL=FILE ...]');
  }
  return args;
}

function makeDocumentLoader({site, baseUrl, contexts}) {
  const known = new Map([...credentialsContexts, ...didContext.contexts,
    ...multikeyContext.contexts, ...contexts]);
  const didDocument = JSON.parse(
    fs.readFileSync(path.join(site, '.well-known', 'did.json'), 'utf8'));
  const did = didDocument.id;
  return async function documentLoader(url) {
    const answer = document => ({contextUrl: null, documentUrl: url, document});
    if(known.has(url)) {
      return answer(known.get(url));
    }
    if(url === did) {
      return answer(didDocument);
    }
    if(url.startsWith(did + '#')) {
      const method = didDocument.verificationMethod.find(m => m.id === url);
      if(!method) {
        throw new Error(`${url} is not in the DID document`);
      }
      return answer({'@context': didDocument['@context'], ...method});
    }
    if(url.startsWith(baseUrl + '/status/')) {
      const file = path.join(site, 'status', url.slice(baseUrl.length + '/status/'.length));
      return answer(JSON.parse(fs.readFileSync(file, 'utf8')));
    }
    throw new Error(`offline document loader: refusing to load ${url}`);
  };
}

function proofsOf(document) {
  return Array.isArray(document.proof) ? document.proof : [document.proof];
}

async function verifyOne({document, suites, documentLoader}) {
  const options = {credential: document, suite: suites, documentLoader};
  if(document.credentialStatus) {
    options.checkStatus = statusOptions => checkStatus({
      ...statusOptions, suite: suites, documentLoader,
      verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true,
    });
  }
  const result = await vc.verifyCredential(options);
  const errors = [];
  const collect = value => {
    if(!value) {
      return;
    }
    for(const item of Array.isArray(value) ? value : [value]) {
      if(item?.message) {
        errors.push(item.message);
      }
      collect(item?.errors);
    }
  };
  collect(result.error);
  for(const r of result.results || []) {
    collect(r.error);
  }
  collect(result.statusResult?.error);
  // The status library's `verified` says the list was checked; `status` is the bit (revoked).
  const revoked = result.statusResult
    ? (result.statusResult.results || []).some(r => r.status === true) : null;
  return {verified: result.verified === true, revoked, error: errors.join('; ') || null};
}

async function checkDocument({item, kind, document, documentLoader, print}) {
  const proofs = proofsOf(document);
  for(const proof of proofs) {
    const suite = SUITES[proof.cryptosuite];
    const check = 'proof-alone';
    if(!suite) {
      print({item, kind, check, suite: proof.cryptosuite, verified: false,
        error: 'no verifier for this suite'});
      continue;
    }
    const alone = {...document, proof};
    print({item, kind, check, suite: proof.cryptosuite,
      ...await verifyOne({document: alone, suites: suite(), documentLoader})});
  }
  if(proofs.length > 1) {
    // A verifier that knows only one suite, given the whole proof set.
    for(const name of Object.keys(SUITES)) {
      if(proofs.some(p => p.cryptosuite === name)) {
        print({item, kind, check: 'one-suite-verifier', suite: name,
          ...await verifyOne({document, suites: SUITES[name](), documentLoader})});
      }
    }
  }
}

function embeddedCredential(html) {
  const marker = '<script type="application/ld+json" id="credential-data">';
  const start = html.indexOf(marker);
  if(start < 0) {
    return null;
  }
  const body = html.slice(start + marker.length);
  return JSON.parse(body.slice(0, body.indexOf('</script>')));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const documentLoader = makeDocumentLoader(args);
  const print = record => process.stdout.write(JSON.stringify(record) + '\n');
  const folder = path.join(args.site, 'c');
  for(const name of fs.readdirSync(folder).sort()) {
    const file = path.join(folder, name);
    if(name.endsWith('.json')) {
      const document = JSON.parse(fs.readFileSync(file, 'utf8'));
      await checkDocument({item: `c/${name}`, kind: 'credential-file', document, documentLoader,
        print});
    } else if(name.endsWith('.html')) {
      const document = embeddedCredential(fs.readFileSync(file, 'utf8'));
      if(document) {
        await checkDocument({item: `c/${name}`, kind: 'credential-in-page', document,
          documentLoader, print});
      }
    }
  }
  const statusFolder = path.join(args.site, 'status');
  // status/<n> are the status lists; status/freshness is credsite's freshness statement, not a
  // credential: no verifier but credsite's reads it.
  for(const name of fs.readdirSync(statusFolder).filter(n => /^\d+$/.test(n)).sort()) {
    const document = JSON.parse(fs.readFileSync(path.join(statusFolder, name), 'utf8'));
    await checkDocument({item: `status/${name}`, kind: 'status-list', document, documentLoader,
      print});
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
