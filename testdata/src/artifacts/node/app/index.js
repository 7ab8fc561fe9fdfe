#!/usr/bin/env node
// node/app: an npm-style package whose package.json names this file as "main" and "bin".
'use strict';
console.log('ok node app');
