import { createHeadlessEditor } from "@lexical/headless";
import { withDOM } from "@lexical/headless/dom";
import { $generateHtmlFromNodes } from "@lexical/html";
import { EDITOR_NODES } from "#app/editor/nodes/index.ts";
import { EDITOR_THEME } from "#app/editor/theme.ts";



const doc = {root:{type:"root",version:1,direction:null,format:"",indent:0,children:[
 {type:"heading",tag:"h2",version:1,direction:null,format:"",indent:0,children:[{type:"text",text:"Hello",format:1,style:"color:red;background:url(javascript:alert(1))",mode:"normal",detail:0,version:1}]},
 {type:"paragraph",version:1,direction:null,format:"center",indent:1,textFormat:0,textStyle:"",children:[
   {type:"text",text:"<script>alert(1)</script> ",format:0,style:"",mode:"normal",detail:0,version:1},
   {type:"text",text:"it",format:2|4|8|16,style:"",mode:"normal",detail:0,version:1},
   {type:"link",url:"https://example.org",rel:null,target:null,title:null,version:1,direction:null,format:"",indent:0,children:[{type:"text",text:"ext",format:0,style:"",mode:"normal",detail:0,version:1}]},
   {type:"page-link",pageId:"abcdefghij12",version:1,children:[{type:"text",text:"Other page",format:0,style:"",mode:"normal",detail:0,version:1}]},
   {type:"linebreak",version:1},
 ]},
 {type:"list",listType:"check",start:1,tag:"ul",version:1,direction:null,format:"",indent:0,children:[
   {type:"listitem",checked:true,value:1,version:1,direction:null,format:"",indent:0,children:[{type:"text",text:"done",format:0,style:"",mode:"normal",detail:0,version:1}]},
   {type:"listitem",checked:false,value:2,version:1,direction:null,format:"",indent:0,children:[{type:"text",text:"todo",format:0,style:"",mode:"normal",detail:0,version:1}]}]},
 {type:"list",listType:"bullet",start:1,tag:"ul",version:1,children:[{type:"listitem",value:1,version:1,children:[{type:"text",text:"b",version:1}]}]},
 {type:"list",listType:"number",start:1,tag:"ol",version:1,children:[{type:"listitem",value:1,version:1,children:[{type:"text",text:"n",version:1}]}]},
 {type:"quote",version:1,children:[{type:"text",text:"q",version:1}]},
 {type:"code",language:"js",version:1,children:[{type:"code-highlight",text:"let a",version:1},{type:"linebreak",version:1},{type:"text",text:"b",version:1}]},
 {type:"horizontalrule",version:1},
 {type:"image",src:"/files/x.png",altText:"An image",width:100,height:50,version:1},
 {type:"table",version:1,children:[{type:"tablerow",version:1,children:[{type:"tablecell",headerState:1,colSpan:1,version:1,children:[{type:"paragraph",version:1,children:[{type:"text",text:"H",version:1}]}]},{type:"tablecell",headerState:1,version:1,children:[{type:"paragraph",version:1,children:[{type:"text",text:"H2",version:1}]}]}]},{type:"tablerow",version:1,children:[{type:"tablecell",headerState:0,version:1,children:[{type:"paragraph",version:1,children:[{type:"text",text:"c",version:1}]}]},{type:"tablecell",headerState:0,version:1,children:[{type:"paragraph",version:1,children:[{type:"text",text:"d",version:1}]}]}]}]},
]}};
import { processContent } from "#app/editor/content.server.ts";
(doc.root.children[1] as any).children.push({type:"link",url:"/spaces/x/wiki/y",version:1,children:[{type:"text",text:"internal",version:1}]});
const r = processContent(JSON.stringify(doc));
console.log(r.ok ? r.html : r);
console.log(r.ok && r.text, r.ok && r.pageIds);
const s = JSON.stringify(doc);
for (let i = 0; i < 5; i++) { const t = performance.now(); processContent(s); console.log((performance.now() - t).toFixed(2)); }
