// The operators' mail page: plain HTML with one inline script and one inline
// style, both allowed by hash in its Content-Security-Policy and nothing else.
// The script signs in, keeps the tokens in memory only, and writes every piece
// of message data with textContent, so nothing a message holds is ever markup.
import { createHash } from 'node:crypto';
import { mailPagePolicy, securityHeaders } from '../../shared/http/security-headers';
import { routePath } from '../../shared/wire/route-contract';
import { session, transcripts } from '../../shared/wire/routes';

// The page's addresses come from the contract, so the page and the server agree on them.
const paths = {
  signIn: session.signIn.path,
  signOut: session.signOut.path,
  token: session.accessToken.path,
  failing: routePath(transcripts.failing, { query: { limit: 200 } }),
  mail: routePath(transcripts.mail, { query: { limit: 200 } }),
  message: transcripts.mailMessage.path,
};

const style = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 1.5rem; max-width: 70rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; padding: 1rem; }
[hidden] { display: none; }
.error { color: #a00; }
`;

const script = `
'use strict';
const paths = ${JSON.stringify(paths)};
const $ = (id) => document.getElementById(id);
let sessionToken = '';
let accessToken = '';

const idInPath = () => {
  const match = /^\\/mail\\/([0-9a-f-]{36})$/i.exec(location.pathname);
  return match ? match[1] : null;
};

const say = (text, isError) => {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
};

async function answer(response) {
  const body = await response.json();
  if (!body.ok) throw new Error(body.error.message);
  return body.value;
}

async function refreshAccess() {
  accessToken = (
    await answer(
      await fetch(paths.token, {
        method: 'POST',
        headers: { authorization: 'Bearer ' + sessionToken },
      }),
    )
  ).token;
}

async function call(path) {
  let response = await fetch(path, { headers: { authorization: 'Bearer ' + accessToken } });
  if (response.status === 401 && sessionToken) {
    await refreshAccess();
    response = await fetch(path, { headers: { authorization: 'Bearer ' + accessToken } });
  }
  return answer(response);
}

const cell = (row, text) => {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
};

async function showFailing() {
  const { items } = await call(paths.failing);
  $('failing-count').textContent = String(items.length);
  const rows = items.map((transcript) => {
    const row = document.createElement('tr');
    cell(row, transcript.requestedAt);
    cell(row, transcript.via + ' to ' + transcript.address);
    cell(row, transcript.status);
    cell(row, String(transcript.attempts));
    cell(row, transcript.nextAttemptAt || '');
    cell(row, transcript.lastError || '');
    return row;
  });
  $('failing').replaceChildren(...rows);
}

async function showList() {
  const { items } = await call(paths.mail);
  $('mail-count').textContent = String(items.length);
  const rows = items.map((message) => {
    const row = document.createElement('tr');
    cell(row, message.date);
    cell(row, message.channel);
    cell(row, message.to.join(', '));
    const link = document.createElement('a');
    link.href = '/mail/' + message.id;
    link.textContent = message.subject || '(no subject)';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      history.pushState(null, '', link.href);
      void showMessage(message.id);
    });
    cell(row, '').append(link);
    cell(row, String(message.size));
    return row;
  });
  $('messages').replaceChildren(...rows);
}

async function showMessage(id) {
  if (!id) {
    $('message').hidden = true;
    return;
  }
  try {
    const message = await call(paths.message.replace(':id', encodeURIComponent(id)));
    $('message-subject').textContent = message.subject || '(no subject)';
    $('message-head').textContent =
      'To: ' + message.to.join(', ') + '\\nDate: ' + message.date +
      '\\nMessage-ID: ' + (message.messageId || '') + '\\nSize: ' + message.size + ' bytes';
    $('message-text').textContent = message.text;
    $('message').hidden = false;
  } catch (error) {
    say(error.message, true);
  }
}

async function showAll() {
  try {
    await Promise.all([showList(), showFailing()]);
    await showMessage(idInPath());
    say('Signed in.', false);
  } catch (error) {
    say(error.message, true);
  }
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const session = await answer(
      await fetch(paths.signIn, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: $('username').value, password: $('password').value }),
      }),
    );
    $('password').value = '';
    sessionToken = session.sessionToken;
    await refreshAccess();
    $('sign-in').hidden = true;
    $('signed-in').hidden = false;
    await showAll();
  } catch (error) {
    say(error.message, true);
  }
});

$('refresh').addEventListener('click', () => void showAll());
$('sign-out').addEventListener('click', async () => {
  await fetch(paths.signOut, { method: 'DELETE', headers: { authorization: 'Bearer ' + sessionToken } });
  sessionToken = '';
  accessToken = '';
  location.assign('/mail');
});
window.addEventListener('popstate', () => void showMessage(idInPath()));
`;

export const mailPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail sink: transcripts sent</title>
<style>${style}</style>
</head>
<body>
<h1>Mail sink: transcripts sent</h1>
<p>Team leaders only. Emails the embedded sink kept and text messages sent, newest first, shown as plain text.</p>
<form id="sign-in">
  <label>Username <input id="username" autocomplete="username" required></label>
  <label>Password <input id="password" type="password" autocomplete="current-password" required></label>
  <button>Sign in</button>
</form>
<p id="status" role="status"></p>
<div id="signed-in" hidden>
  <p><button id="refresh" type="button">Refresh</button> <button id="sign-out" type="button">Sign out</button></p>
  <section id="message" hidden aria-labelledby="message-subject">
    <h2 id="message-subject"></h2>
    <pre id="message-head"></pre>
    <pre id="message-text"></pre>
  </section>
  <h2>Failing transcripts (<span id="failing-count">0</span>)</h2>
  <table>
    <thead><tr><th>Requested</th><th>To</th><th>Status</th><th>Attempts</th><th>Next attempt</th><th>Last error</th></tr></thead>
    <tbody id="failing"></tbody>
  </table>
  <h2>Messages (<span id="mail-count">0</span>)</h2>
  <table>
    <thead><tr><th>Kept</th><th>Channel</th><th>To</th><th>Subject</th><th>Bytes</th></tr></thead>
    <tbody id="messages"></tbody>
  </table>
</div>
<script>${script}</script>
</body>
</html>
`;

const sha256 = (source: string) => createHash('sha256').update(source).digest('base64');

export const mailPageHeaders = securityHeaders(
  mailPagePolicy({ scriptSha256: sha256(script), styleSha256: sha256(style) }),
);
