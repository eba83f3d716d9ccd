/**
 * The buyer page's only script, inlined and static: it never contains interpolated data; it reads what
 * it needs from data-* attributes, so nothing from a view can reach it as code.
 * - Countdown: counts from the server's "now" rather than the phone's clock, which is often wrong, and
 *   prints the same HH:MM:SS as the server-rendered text.
 * - Copy: navigator.clipboard where available, otherwise it selects the code and tries execCommand so
 *   the shopper can copy it by hand at worst.
 * - Phone form: tightens the pattern to Peru's 9 digits starting with 9 while +51 is selected.
 */
export const BUYER_PAGE_JS = `(function(){
var d=document;
function p(n){return(n<10?"0":"")+n}
var cd=d.querySelector("[data-countdown]");
if(cd){
var out=cd.querySelector("[data-countdown-value]")||cd;
var left=Date.parse(cd.getAttribute("data-expires-at"))-Date.parse(cd.getAttribute("data-server-now"));
var t0=Date.now(),timer=0;
var tick=function(){
var ms=left-(Date.now()-t0);
if(!(ms>0)){out.textContent=cd.getAttribute("data-expired-text");if(timer)clearInterval(timer);return}
var s=Math.floor(ms/1000);
out.textContent=p(Math.floor(s/3600))+":"+p(Math.floor(s%3600/60))+":"+p(s%60);
};
if(isFinite(left)){timer=setInterval(tick,1000);tick()}
}
var btn=d.querySelector("[data-copy-target]");
if(btn){
var code=d.getElementById(btn.getAttribute("data-copy-target"));
var status=d.getElementById(btn.getAttribute("data-copy-status"));
btn.hidden=false;
var done=function(){if(status){status.textContent=btn.getAttribute("data-copied-text")}};
var fallback=function(){
var r=d.createRange();r.selectNodeContents(code);
var sel=window.getSelection();if(sel){sel.removeAllRanges();sel.addRange(r)}
try{if(d.execCommand("copy"))done()}catch(e){}
};
btn.addEventListener("click",function(){
var text=code.getAttribute("data-value")||code.textContent;
if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(done,fallback)}else{fallback()}
});
}
var form=d.querySelector("[data-phone-form]");
if(form){
var cc=form.querySelector("select"),ph=form.querySelector("input[type=tel]");
var sync=function(){
if(cc.value==="+51"){ph.setAttribute("pattern","9[0-9]{8}");ph.setAttribute("maxlength","9")}
else{ph.setAttribute("pattern","[0-9]{6,15}");ph.setAttribute("maxlength","15")}
};
if(cc&&ph){cc.addEventListener("change",sync);sync()}
}
})();`;
