// Lobby kiosk: start → identify → greeting → preferences → room. Nothing of a guest is
// kept in storage or history; after check-in or when idle the page is rebuilt from the
// pristine markup taken at load, so no name, room or preference stays in the DOM.
(function () {
  'use strict';

  var T = {
    zh: {
      identify_title: '查找您的预订', identify_sub: '输入证件号码或预订号,以及您的姓氏。',
      by_document: '证件', by_reference: '预订号', document_type: '证件类型',
      doc_cn: '居民身份证', doc_passport: '护照', doc_other: '其他证件',
      document_number: '证件号码', reference: '预订号', family_name: '姓氏',
      cancel: '取消', continue: '继续', review: '查看我的偏好',
      nights: function (n) { return '本次入住 ' + n + ' 晚'; },
      prefs_title: '您的偏好', prefs_sub: '如有变化,请直接修改。',
      room: '房间', min_floor: '楼层不低于', view: '景观', any: '不限',
      view_river: '江景', view_city: '城景', view_garden: '花园景', view_park: '公园景',
      bed: '床型', bed_king: '特大床', bed_queen: '大床', bed_twin: '双床',
      quiet: '安静的房间', breakfast: '早餐', breakfast_ph: '例如:房内早餐,水果拼盘',
      allergies: '过敏', allergen_ph: '过敏原,例如:花生', add_allergy: '添加',
      mild: '轻微', moderate: '中等', severe: '严重', remove: '删除',
      laundry: '洗衣', laundry_ph: '例如:只用肥皂,不用洗衣液',
      check_in: '办理入住', your_room: '您的房间', floor: function (n) { return n + ' 楼'; },
      enjoy: '祝您入住愉快!', finish: '完成',
      desk_title: '请到前台', desk_room: '我们暂时无法在此为您安排合适的房间。请到前台,我们会为您妥善安排。',
      not_found: '未能找到与这些信息相符的今日预订。请核对后重试,或前往前台。',
      too_many: '尝试次数过多。请前往前台办理入住。',
      missing: '请填写全部信息。', failed: '出了点问题,请重试或前往前台。',
      invalid: '请检查您的输入:'
    },
    en: {
      identify_title: 'Find your booking', identify_sub: 'Enter your ID document or booking reference, and your family name.',
      by_document: 'ID document', by_reference: 'Booking reference', document_type: 'Document type',
      doc_cn: 'Resident ID', doc_passport: 'Passport', doc_other: 'Other',
      document_number: 'Document number', reference: 'Booking reference', family_name: 'Family name',
      cancel: 'Cancel', continue: 'Continue', review: 'Review my preferences',
      nights: function (n) { return n === 1 ? 'Your stay: 1 night' : 'Your stay: ' + n + ' nights'; },
      prefs_title: 'Your preferences', prefs_sub: 'Change anything that is different this time.',
      room: 'Room', min_floor: 'Floor at least', view: 'View', any: 'Any',
      view_river: 'River', view_city: 'City', view_garden: 'Garden', view_park: 'Park',
      bed: 'Bed', bed_king: 'King', bed_queen: 'Queen', bed_twin: 'Twin',
      quiet: 'Quiet room', breakfast: 'Breakfast', breakfast_ph: 'e.g. in room, fruit platter',
      allergies: 'Allergies', allergen_ph: 'Allergen, e.g. peanuts', add_allergy: 'Add',
      mild: 'Mild', moderate: 'Moderate', severe: 'Severe', remove: 'Remove',
      laundry: 'Laundry', laundry_ph: 'e.g. soap only, no detergent',
      check_in: 'Check in', your_room: 'Your room', floor: function (n) { return 'Floor ' + n; },
      enjoy: 'Enjoy your stay!', finish: 'Finish',
      desk_title: 'Please see the front desk', desk_room: 'We could not choose a room for you here. Please see the front desk; we will look after you.',
      not_found: 'We could not find a stay for today with these details. Please check them, or see the front desk.',
      too_many: 'Too many attempts. Please see the front desk to check in.',
      missing: 'Please fill in every field.', failed: 'Something went wrong. Please try again or see the front desk.',
      invalid: 'Please check: '
    }
  };

  var app = document.getElementById('app');
  var pristine = app.innerHTML;
  var idleMs = (parseInt(app.dataset.idleSeconds, 10) || 120) * 1000;
  var doneMs = (parseInt(app.dataset.doneSeconds, 10) || 20) * 1000;

  var state = fresh();
  var idleTimer = null;
  var doneTimer = null;

  function fresh() {
    return { lang: 'zh', screen: 'start', way: 'document', doc: 'cn_resident_id', severity: 'mild', session: null, prefs: null, busy: false };
  }

  function $(id) { return document.getElementById(id); }
  function t(key) { return T[state.lang][key]; }

  function translate() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    app.querySelectorAll('[data-t]').forEach(function (el) { el.textContent = t(el.dataset.t); });
    app.querySelectorAll('[data-ph]').forEach(function (el) { el.placeholder = t(el.dataset.ph); });
  }

  function show(name) {
    state.screen = name;
    app.querySelectorAll('[data-screen]').forEach(function (s) { s.hidden = s.dataset.screen !== name; });
    app.dataset.current = name;
    window.scrollTo(0, 0);
    armIdle();
  }

  // restart forgets the guest: state, timers, and every element that showed them.
  function restart() {
    clearTimeout(idleTimer);
    clearTimeout(doneTimer);
    state = fresh();
    if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
    app.innerHTML = pristine;
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* not available */ }
    history.replaceState(null, '', '/kiosk');
    show('start');
  }

  function armIdle() {
    clearTimeout(idleTimer);
    if (state.screen !== 'start') { idleTimer = setTimeout(restart, idleMs); }
  }

  ['pointerdown', 'keydown', 'input', 'touchstart'].forEach(function (ev) {
    document.addEventListener(ev, armIdle, { passive: true, capture: true });
  });

  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (resp.status === 401 && state.session) { restart(); throw new Error('session ended'); }
        return { status: resp.status, data: data };
      });
    });
  }

  function showError(id, msg) {
    var el = $(id);
    el.textContent = msg;
    el.hidden = !msg;
  }

  function problemText(data) {
    var fields = (data.errors || []).map(function (e) { return e.field + ' ' + e.message; });
    return fields.length ? t('invalid') + fields.join('; ') : t('failed');
  }

  function selectIn(groupId, attr, value) {
    $(groupId).querySelectorAll('[' + attr + ']').forEach(function (b) {
      b.classList.toggle('on', b.getAttribute(attr) === value);
    });
  }

  // ---- identify ----
  function identify(ev) {
    ev.preventDefault();
    if (state.busy) { return; }
    var family = $('family-name').value.trim();
    var body = { family_name: family, language: state.lang };
    if (state.way === 'document') {
      body.document_type = state.doc;
      body.document_number = $('document-number').value.trim();
      if (!body.document_number) { family = ''; }
    } else {
      body.reference = $('reference').value.trim();
      if (!body.reference) { family = ''; }
    }
    if (!family) { showError('identify-error', t('missing')); return; }
    showError('identify-error', '');
    state.busy = true;
    $('identify-submit').disabled = true;
    api('POST', '/api/kiosk/identify', body).then(function (r) {
      state.busy = false;
      if (state.screen !== 'identify') { return; }
      $('identify-submit').disabled = false;
      if (r.status === 200) { return greet(r.data); }
      if (r.status === 404) { return showError('identify-error', t('not_found')); }
      if (r.status === 429) { return showError('identify-error', t('too_many')); }
      showError('identify-error', r.status === 422 ? problemText(r.data) : t('failed'));
    }).catch(function () { state.busy = false; });
  }

  function greet(data) {
    // The document number and name typed are cleared at once.
    $('document-number').value = '';
    $('reference').value = '';
    $('family-name').value = '';
    state.session = data.session;
    state.prefs = data.preferences;
    $('greeting').textContent = data.greeting;
    $('nights').textContent = t('nights')(data.arrival.nights);
    show('greeting');
  }

  // ---- preferences ----
  function fillPrefs() {
    var p = state.prefs;
    setFloor(p.room.min_floor || 0);
    selectIn('view-choices', 'data-view', p.room.view || '');
    selectIn('bed-choices', 'data-bed', p.room.bed || '');
    $('quiet').setAttribute('aria-pressed', p.room.quiet ? 'true' : 'false');
    $('breakfast').value = p.dining.breakfast || '';
    $('laundry').value = p.housekeeping.laundry || '';
    renderAllergies();
  }

  // The floor stepper shows "Any" for 0 (no preference).
  function floorValue() { return parseInt($('min-floor').dataset.value, 10) || 0; }

  function setFloor(n) {
    n = Math.max(0, Math.min(99, n));
    var out = $('min-floor');
    out.dataset.value = String(n);
    out.textContent = n === 0 ? t('any') : String(n);
  }

  function renderAllergies() {
    var list = $('allergy-list');
    list.textContent = '';
    state.prefs.allergies.forEach(function (a, i) {
      var li = document.createElement('li');
      var name = document.createElement('span');
      name.className = 'allergen';
      name.textContent = a.allergen;
      var sev = document.createElement('span');
      sev.className = 'severity ' + a.severity;
      sev.textContent = t(a.severity);
      var rm = document.createElement('button');
      rm.type = 'button';
      rm.className = 'secondary remove';
      rm.dataset.remove = String(i);
      rm.textContent = t('remove');
      li.append(name, sev, rm);
      list.appendChild(li);
    });
  }

  function addAllergy() {
    var name = $('allergen').value.trim();
    if (!name) { return; }
    state.prefs.allergies.push({ allergen: name, severity: state.severity, instructions: '' });
    $('allergen').value = '';
    renderAllergies();
  }

  function checkIn(ev) {
    ev.preventDefault();
    if (state.busy) { return; }
    var p = state.prefs;
    var patch = {
      room: { min_floor: floorValue(), view: p.room.view || '', bed: p.room.bed || '',
        quiet: $('quiet').getAttribute('aria-pressed') === 'true' },
      dining: { breakfast: $('breakfast').value.trim() },
      allergies: p.allergies,
      housekeeping: { laundry: $('laundry').value.trim() }
    };
    state.busy = true;
    $('checkin').disabled = true;
    var base = '/api/kiosk/sessions/' + encodeURIComponent(state.session);
    api('PATCH', base + '/preferences', patch).then(function (r) {
      if (r.status !== 200) { throw r; }
      return api('POST', base + '/checkin');
    }).then(function (r) {
      state.busy = false;
      state.session = null;
      if (r.status === 200) { return done(r.data); }
      if (r.status === 409) {
        $('desk-message').textContent = t('desk_room');
        show('desk');
        doneTimer = setTimeout(restart, doneMs);
        return;
      }
      throw r;
    }).catch(function (r) {
      state.busy = false;
      if (!r || !r.status) { return; }
      $('checkin').disabled = false;
      showError('prefs-error', r.status === 422 ? problemText(r.data) : t('failed'));
    });
  }

  function done(data) {
    $('room-number').textContent = data.room;
    $('room-floor').textContent = t('floor')(data.floor);
    show('done');
    doneTimer = setTimeout(restart, doneMs);
  }

  // ---- events (delegated: the markup is rebuilt on restart) ----
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b || !app.contains(b)) { return; }
    var d = b.dataset;
    if (d.lang) { state.lang = d.lang; translate(); show('identify'); $('document-number').focus(); return; }
    if (d.action === 'restart') { restart(); return; }
    if (d.way) {
      state.way = d.way;
      app.querySelectorAll('[data-way]').forEach(function (x) { x.classList.toggle('on', x.dataset.way === d.way); });
      app.querySelectorAll('[data-panel]').forEach(function (x) { x.hidden = x.dataset.panel !== d.way; });
      return;
    }
    if (d.doc) { state.doc = d.doc; selectIn('doc-types', 'data-doc', d.doc); return; }
    if (b.id === 'to-prefs') { fillPrefs(); show('prefs'); return; }
    if (d.step) {
      setFloor(floorValue() + parseInt(d.step, 10));
      return;
    }
    if (d.view !== undefined) { state.prefs.room.view = d.view; selectIn('view-choices', 'data-view', d.view); return; }
    if (d.bed !== undefined) { state.prefs.room.bed = d.bed; selectIn('bed-choices', 'data-bed', d.bed); return; }
    if (b.id === 'quiet') { b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true'); return; }
    if (d.severity) { state.severity = d.severity; selectIn('severity-choices', 'data-severity', d.severity); return; }
    if (b.id === 'add-allergy') { addAllergy(); return; }
    if (d.remove !== undefined) { state.prefs.allergies.splice(parseInt(d.remove, 10), 1); renderAllergies(); return; }
  });

  document.addEventListener('submit', function (ev) {
    if (ev.target.id === 'identify-form') { identify(ev); }
    if (ev.target.id === 'prefs-form') { checkIn(ev); }
  });

  // Leaving the page (reload, back) must not keep the guest in the back/forward cache.
  window.addEventListener('pagehide', function () { if (state.screen !== 'start') { restart(); } });

  show('start');
}());
