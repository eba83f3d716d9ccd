/**
 * The buyer page's whole stylesheet, inlined: one request on a slow network and nothing for a CSP to
 * block except by its hash (see buyerPageCsp). Mobile-first, system fonts, dark text on PagoEfectivo's yellow.
 */
export const BUYER_PAGE_CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;background:#f3f3f3;color:#1a1a1a}
header{background:#FFC700;color:#1a1a1a;padding:.6rem 1rem;display:flex;justify-content:space-between;align-items:center;gap:1rem}
.store{display:flex;flex-direction:column;min-width:0}
.shop-name{font-weight:800;font-size:1.05rem;line-height:1.2;overflow-wrap:anywhere}
.via{font-size:.8rem}
header a{color:#1a1a1a;font-size:.9rem}
main{max-width:32rem;margin:0 auto;padding:1rem .75rem 2rem}
.card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 .9rem;box-shadow:0 1px 2px rgba(0,0,0,.12)}
h1{font-size:1.3rem;line-height:1.25;margin:0 0 .5rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:.9rem 0 .2rem}
p{margin:.4rem 0}
.muted{color:#555;font-size:.9rem}
.amount{font-size:1.6rem;font-weight:800;margin:.1rem 0 0}
.cip-row{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:.3rem 0 .6rem}
.cip{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:2.4rem;font-weight:800;letter-spacing:.18em;line-height:1.1;word-break:break-all;-webkit-user-select:all;user-select:all}
.countdown{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1.25rem;font-weight:700}
.btn{display:block;width:100%;padding:.85rem 1rem;border:0;border-radius:10px;font:inherit;font-weight:700;text-align:center;text-decoration:none;cursor:pointer}
.btn-primary{background:#FFC700;color:#1a1a1a;box-shadow:inset 0 -2px 0 rgba(0,0,0,.15)}
.btn-small{display:inline-block;width:auto;padding:.5rem .9rem;background:#1a1a1a;color:#fff;font-size:.95rem}
.btn-quiet{background:#fff;color:#1a1a1a;border:1px solid #767676}
.tools{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.2rem 0 .6rem}
.facts{display:grid;grid-template-columns:auto 1fr;gap:.3rem .9rem;margin:.6rem 0 0}
.facts dt{color:#555}
.facts dd{margin:0;font-weight:700}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.06em}
a{color:#0a4fb4}
.qr{margin:0;text-align:center}
.qr svg{width:12rem;height:12rem;max-width:100%}
.qr figcaption{font-size:.85rem;color:#555}
ol{margin:.2rem 0 0;padding-left:1.3rem}
label{display:block;font-weight:600;margin:.6rem 0 .25rem}
.phone-row{display:flex;gap:.5rem}
select,input{font:inherit;padding:.7rem .6rem;border:1px solid #767676;border-radius:8px;background:#fff;color:#1a1a1a;min-width:0}
.phone-row select{flex:0 0 auto;width:7.5rem}
.phone-row input{flex:1 1 auto;width:100%;font-size:1.15rem;letter-spacing:.04em}
.error{color:#a40000;font-weight:600}
.success{border-left:6px solid #1e7d32}
.alert{border-left:6px solid #a40000}
.actions{margin-top:.8rem}
.secondary-link{display:block;text-align:center;margin-top:.8rem}
:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
[hidden]{display:none!important}`;
