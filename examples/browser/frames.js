// Both pages stay responsive while a worker trains: their own animation frames keep counting (shown in `ticker`,
// counted in `page.frames` and, while `page.state` is "training", `page.framesWhileTraining`; the test reads them).
export function countFrames(page, ticker) {
  const tick = () => {
    page.frames++;
    if (page.state === "training") page.framesWhileTraining++;
    ticker.textContent = page.state === "training" ? `page frames while training: ${page.framesWhileTraining}` : "";
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
