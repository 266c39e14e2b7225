// Redirects and playlists followed, as the person sees them: they paste the address of a web page (the usual
// IIS set-up: a page embedding Windows Media Player, whose source is an .asx naming mms://…), and the verdict
// card names the page, the playlist and the stream behind them, with the tested replacement. Servers are real
// and local: Debian's nginx serves the page and the playlist, the Windows Media RTSP simulator the stream.
import { startNginx, nginxUnavailable } from '../electron/test-support/peers/nginx';
import { startRtspServer } from '../electron/test-support/rtsp-server';
import { expect, test } from './support/fixtures';

test('a playlist page: the verdict names the page, the playlist and the tested stream', async ({
  openApp,
}) => {
  const unavailable = nginxUnavailable();
  test.skip(unavailable !== null, unavailable ?? '');
  const rtsp = await startRtspServer();
  const entry = `mms://127.0.0.1:${rtsp.port}/live`;
  const nginx = await startNginx({
    files: {
      'index.html': [
        '<!doctype html><html><head><title>Radio</title></head><body>',
        '<object classid="clsid:6BF52A52-394A-11d3-B153-00C04F79FAA6">',
        '<param name="URL" value="media/radio.asx"></object>',
        '</body></html>',
      ].join('\n'),
      'media/radio.asx': `<ASX VERSION="3.0"><ENTRY><REF HREF="${entry}"/></ENTRY></ASX>`,
    },
  });
  try {
    const { page } = await openApp();
    const pageUrl = `http://127.0.0.1:${nginx.port}/`;
    const playlistUrl = `http://127.0.0.1:${nginx.port}/media/radio.asx`;
    const tested = `rtsp://127.0.0.1:${rtsp.port}/live`;
    await page.getByLabel('Stream address').fill(pageUrl);
    await page.getByRole('button', { name: 'Diagnose' }).click();
    const heading = page.locator('#verdict-heading');
    await expect(heading).toBeVisible({ timeout: 20_000 });
    await expect(heading).toContainText(`The web page at ${pageUrl} points at ${playlistUrl}.`);
    await expect(heading).toContainText(`The playlist at ${playlistUrl} points at ${entry}.`);
    await expect(page.locator('.verdict-label')).toHaveText('A working address was found');
    await expect(page.locator('.verdict-url code')).toHaveText(tested);
    // The followed section lists the page's entry with its own verdict; nothing says "ordinary web server".
    const followed = page.locator('.followed');
    await expect(followed.getByRole('heading', { name: `The web page at ${pageUrl}` })).toBeVisible();
    await expect(followed.locator('li')).toContainText(playlistUrl);
    await expect(followed.locator('li')).toContainText('A working address was found');
    await expect(page.locator('.verdict')).not.toContainText('ordinary web server');
  } finally {
    await nginx.close();
    await rtsp.close();
  }
});
