/**
 * The sandbox page's script: static text with no interpolation. It reads the control API's base URL from
 * <body data-sandbox-url>, and writes every piece of data into the page with textContent (links get an
 * href only after an http(s) check), never innerHTML, so nothing a control API returns can run as code.
 *
 * GET /sandbox/pagoefectivo/cips is read both as a bare array and as {cips: [...]}, since the emulator
 * wraps its list in an object.
 */
export const SANDBOX_PAGE_JS = `(function(){
"use strict";
var d=document;
var base=(d.body.getAttribute("data-sandbox-url")||"").replace(/\\/+$/,"");
var $=function(id){return d.getElementById(id)};
var sessionId="";
var lastSessionJson="";

function el(tag,text,cls){var e=d.createElement(tag);if(text!==undefined&&text!==null)e.textContent=String(text);if(cls)e.className=cls;return e}
function isHttpUrl(u){return typeof u==="string"&&/^https?:\\/\\//i.test(u)}
function pretty(v){return typeof v==="string"?v:JSON.stringify(v,null,2)}
function show(id,v){$(id).textContent=pretty(v)}
function log(line,ok){
var list=$("activity");var li=el("li",new Date().toLocaleTimeString()+"  "+line,ok?"":"bad");
list.insertBefore(li,list.firstChild);while(list.children.length>60)list.removeChild(list.lastChild);
}
async function call(method,path,body,quiet){
var init={method:method,headers:{accept:"application/json"}};
if(body!==undefined){init.headers["content-type"]="application/json";init.body=JSON.stringify(body)}
var res;
try{res=await fetch(base+path,init)}catch(e){log(method+" "+path+" -> network error: "+e.message,false);throw e}
var text=await res.text();var data=text;
try{data=text?JSON.parse(text):null}catch(e){}
if(!quiet||!res.ok)log(method+" "+path+" -> "+res.status,res.ok);
if(!res.ok){throw new Error("HTTP "+res.status+": "+pretty(data))}
return data;
}
function needSession(){
if(!sessionId){log("Create a checkout first, or paste a payment session id.",false);return false}
return true;
}
function setSession(id){
sessionId=String(id||"").trim();$("session-id").value=sessionId;lastSessionJson="";
$("session-state").textContent=sessionId?"...":"-";
clear($("mutations"));clear($("cips"));$("cips-empty").hidden=false;
}
function clear(node){while(node.firstChild)node.removeChild(node.firstChild)}

$("checkout-form").addEventListener("submit",async function(e){
e.preventDefault();
var body={amount:$("checkout-amount").value.trim(),currency:$("checkout-currency").value,test:$("checkout-test").checked,locale:$("checkout-locale").value};
if($("checkout-without-phone").checked)body.withoutPhone=true;
var link=$("buyer-link");link.hidden=true;link.removeAttribute("href");
try{
var r=await call("POST","/sandbox/shopify/checkouts",body);
show("checkout-result",r);
setSession(r&&r.id);
if(r&&isHttpUrl(r.redirect_url)){link.href=r.redirect_url;link.hidden=false}
$("refund-amount").value=body.amount;
await refreshAll(false);
}catch(err){show("checkout-result",err.message)}
});
$("session-id").addEventListener("change",function(){setSession($("session-id").value);refreshAll(false)});

async function refreshCips(quiet){
if(!sessionId)return;
var r=await call("GET","/sandbox/pagoefectivo/cips?transactionCode="+encodeURIComponent(sessionId),undefined,quiet);
var cips=Array.isArray(r)?r:(r&&Array.isArray(r.cips)?r.cips:[]);
var body=$("cips");clear(body);$("cips-empty").hidden=cips.length>0;
cips.forEach(function(c){
var tr=d.createElement("tr");
tr.appendChild(el("td",c.cip,"mono"));
tr.appendChild(el("td",c.status));
tr.appendChild(el("td",c.amount+" "+c.currency));
tr.appendChild(el("td",c.dateExpiry));
var actions=d.createElement("td");
[["Pay","pay",{}],["Expire","expire",undefined]].forEach(function(a){
var b=el("button",a[0]);b.type="button";
b.addEventListener("click",async function(){
try{await call("POST","/sandbox/pagoefectivo/cips/"+encodeURIComponent(c.cip)+"/"+a[1],a[2]);}catch(err){}
await refreshAll(false);
});
actions.appendChild(b);
});
if(isHttpUrl(c.cipUrl)){var v=el("a","Voucher");v.href=c.cipUrl;v.target="_blank";v.rel="noopener noreferrer";actions.appendChild(v)}
tr.appendChild(actions);body.appendChild(tr);
});
}

async function refreshSession(quiet){
if(!sessionId)return;
var r=await call("GET","/sandbox/shopify/payment-sessions/"+encodeURIComponent(sessionId),undefined,quiet);
var json=JSON.stringify(r);
if(json===lastSessionJson)return;
lastSessionJson=json;
$("session-state").textContent=r&&r.state?pretty(r.state):"-";
var list=$("mutations");clear(list);
var mutations=r&&Array.isArray(r.mutations)?r.mutations:[];
$("mutations-empty").hidden=mutations.length>0;
mutations.forEach(function(m){
var li=d.createElement("li");var det=d.createElement("details");
det.appendChild(el("summary",m.name+"  "+(m.at||"")));
det.appendChild(el("div","variables","label"));det.appendChild(el("pre",pretty(m.variables)));
det.appendChild(el("div","result","label"));det.appendChild(el("pre",pretty(m.result)));
li.appendChild(det);list.appendChild(li);
});
}

async function refreshAll(quiet){
try{await refreshSession(quiet)}catch(e){}
try{await refreshCips(quiet)}catch(e){}
}
$("refresh-cips").addEventListener("click",function(){refreshAll(false)});
$("refresh-session").addEventListener("click",function(){lastSessionJson="";refreshAll(false)});
setInterval(function(){if($("auto-refresh").checked&&sessionId&&!d.hidden)refreshAll(true)},2000);

Array.prototype.forEach.call(d.querySelectorAll("[data-advance-seconds]"),function(b){
b.addEventListener("click",async function(){
try{var r=await call("POST","/sandbox/clock",{advanceSeconds:Number(b.getAttribute("data-advance-seconds"))});$("clock-now").textContent=r&&r.now?String(r.now):pretty(r)}catch(err){$("clock-now").textContent=err.message}
await refreshAll(false);
});
});

function faultForm(formId,path,kindId,countId,resultId){
$(formId).addEventListener("submit",async function(e){
e.preventDefault();
try{var r=await call("POST",path,{kind:$(kindId).value.trim(),count:Number($(countId).value)});show(resultId,r)}catch(err){show(resultId,err.message)}
});
}
faultForm("shopify-fault-form","/sandbox/shopify/faults","shopify-fault-kind","shopify-fault-count","shopify-fault-result");
faultForm("pagoefectivo-fault-form","/sandbox/pagoefectivo/faults","pagoefectivo-fault-kind","pagoefectivo-fault-count","pagoefectivo-fault-result");

$("refund-form").addEventListener("submit",async function(e){
e.preventDefault();
if(!needSession())return;
try{var r=await call("POST","/sandbox/shopify/payment-sessions/"+encodeURIComponent(sessionId)+"/refunds",{amount:$("refund-amount").value.trim()});show("refund-result",r)}catch(err){show("refund-result",err.message)}
await refreshAll(false);
});
})();`;
