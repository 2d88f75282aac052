/**
 * North American Numbering Plan area codes: where each geographic code is (US state, Canadian
 * province or Caribbean country) and the time zone its people keep. Read by zone-of.ts to
 * guess a contact's clock from a number, and to find the state whose calling rules apply.
 *
 * Sources: area code → location from NANPA's NPA reports and area-code maps
 * (nationalnanpa.com, "NPA Database" / planning letters for overlays in service or announced
 * to 2025); area code → zone cross-checked against libphonenumber's
 * resources/timezones/map_data.txt (Apache-2.0, google/libphonenumber), which lists the
 * exceptions by exchange. Where an area spans zones, the zone of the larger share of its
 * people is given and `guess` is true — set when more than a few percent of the area keeps
 * another clock (e.g. Florida's 850: Pensacola and Panama City on Central time, Tallahassee on
 * Eastern). Smaller pockets (Malheur County in 541, West Wendover in 775, Lloydminster in 306)
 * do not make a code a guess.
 *
 * Zones are the IANA names Intl knows; the Caribbean members use their own country's zone
 * even where tzdb now links it to another, so a rep sees a familiar name.
 */

export interface NanpArea {
  /** USPS state or territory code, Canadian province code, or null (multi-province, Caribbean). */
  region: string | null;
  /** ISO 3166-1 alpha-2 of the country the code serves. */
  country: string;
  zone: string;
  /** True when part of the area keeps another zone and `zone` is the majority's. */
  guess: boolean;
}

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';
const IN_ET = 'America/Indiana/Indianapolis';
const MI_ET = 'America/Detroit';

type Row = readonly [codes: string, region: string | null, country: string, zone: string, guess?: 'guess'];

const ROWS: readonly Row[] = [
  // United States
  ['205 251 256 334 659 938', 'AL', 'US', CT],
  ['907', 'AK', 'US', 'America/Anchorage'],
  ['480 520 602 623', 'AZ', 'US', 'America/Phoenix'],
  ['928', 'AZ', 'US', 'America/Phoenix', 'guess'], // the Navajo Nation keeps daylight time
  ['327 479 501 870', 'AR', 'US', CT],
  [
    '209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 ' +
      '714 738 747 760 805 818 820 831 840 858 909 916 925 949 951',
    'CA',
    'US',
    PT,
  ],
  ['303 719 720 970 983', 'CO', 'US', MT],
  ['203 475 860 959', 'CT', 'US', ET],
  ['302', 'DE', 'US', ET],
  ['202 771', 'DC', 'US', ET],
  ['239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954', 'FL', 'US', ET],
  ['448 850', 'FL', 'US', CT, 'guess'], // the western Panhandle outnumbers Tallahassee
  ['229 404 470 478 678 706 762 770 912 943', 'GA', 'US', ET],
  ['808', 'HI', 'US', 'Pacific/Honolulu'],
  ['208 986', 'ID', 'US', 'America/Boise', 'guess'], // the northern panhandle is on Pacific time
  ['217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872', 'IL', 'US', CT],
  ['260 317 463 574 765', 'IN', 'US', IN_ET],
  ['812 930', 'IN', 'US', IN_ET, 'guess'], // Evansville and the southwest corner are on Central time
  ['219', 'IN', 'US', CT, 'guess'], // the Chicago side of Indiana; a few exchanges are Eastern
  ['319 515 563 641 712', 'IA', 'US', CT],
  ['316 620 785 913', 'KS', 'US', CT],
  ['502 606 859', 'KY', 'US', ET],
  ['270 364', 'KY', 'US', CT, 'guess'], // Bowling Green, Owensboro, Paducah Central; Elizabethtown Eastern
  ['225 318 337 504 985', 'LA', 'US', CT],
  ['207', 'ME', 'US', ET],
  ['227 240 301 410 443 667', 'MD', 'US', ET],
  ['339 351 413 508 617 774 781 857 978', 'MA', 'US', ET],
  ['231 248 269 313 517 586 616 679 734 810 947 989', 'MI', 'US', MI_ET],
  ['906', 'MI', 'US', MI_ET, 'guess'], // four Upper Peninsula counties on the Wisconsin line are Central
  ['218 320 507 612 651 763 952', 'MN', 'US', CT],
  ['228 601 662 769', 'MS', 'US', CT],
  ['314 417 557 573 636 660 816 975', 'MO', 'US', CT],
  ['406', 'MT', 'US', MT],
  ['402 531', 'NE', 'US', CT],
  ['308', 'NE', 'US', CT, 'guess'], // the western Panhandle is on Mountain time
  ['702 725 775', 'NV', 'US', PT],
  ['603', 'NH', 'US', ET],
  ['201 551 609 640 732 848 856 862 908 973', 'NJ', 'US', ET],
  ['505 575', 'NM', 'US', MT],
  ['212 315 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934', 'NY', 'US', ET],
  ['252 336 472 704 743 828 910 919 980 984', 'NC', 'US', ET],
  ['701', 'ND', 'US', CT, 'guess'], // the southwest is on Mountain time
  ['216 220 234 283 326 330 380 419 436 440 513 567 614 740 937', 'OH', 'US', ET],
  ['405 539 572 580 918', 'OK', 'US', CT],
  ['458 503 541 971', 'OR', 'US', PT],
  ['215 223 267 272 412 445 484 570 582 610 717 724 814 835 878', 'PA', 'US', ET],
  ['401', 'RI', 'US', ET],
  ['803 821 839 843 854 864', 'SC', 'US', ET],
  ['605', 'SD', 'US', CT, 'guess'], // West River, Rapid City included, is on Mountain time
  ['423 865', 'TN', 'US', ET],
  ['615 629 731 901 931', 'TN', 'US', CT],
  [
    '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 ' +
      '972 979',
    'TX',
    'US',
    CT,
  ],
  ['915', 'TX', 'US', MT], // El Paso and Hudspeth counties
  ['385 435 801', 'UT', 'US', MT],
  ['802', 'VT', 'US', ET],
  ['276 434 540 571 686 703 757 804 826 948', 'VA', 'US', ET],
  ['206 253 360 425 509 564', 'WA', 'US', PT],
  ['304 681', 'WV', 'US', ET],
  ['262 274 353 414 534 608 715 920', 'WI', 'US', CT],
  ['307', 'WY', 'US', MT],
  // US territories
  ['787 939', 'PR', 'US', 'America/Puerto_Rico'],
  ['340', 'VI', 'US', 'America/St_Thomas'],
  ['671', 'GU', 'US', 'Pacific/Guam'],
  ['670', 'MP', 'US', 'Pacific/Saipan'],
  ['684', 'AS', 'US', 'Pacific/Pago_Pago'],
  // Canada
  ['368 403 587 780 825', 'AB', 'CA', 'America/Edmonton'],
  ['236 257 604 672 778', 'BC', 'CA', 'America/Vancouver'],
  ['250', 'BC', 'CA', 'America/Vancouver', 'guess'], // the Peace River and East Kootenay keep Mountain time
  ['204 431 584', 'MB', 'CA', 'America/Winnipeg'],
  ['428 506', 'NB', 'CA', 'America/Moncton'],
  ['709 879', 'NL', 'CA', 'America/St_Johns', 'guess'], // most of Labrador is on Atlantic time
  ['782 902', null, 'CA', 'America/Halifax'], // Nova Scotia and Prince Edward Island
  ['226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905 942', 'ON', 'CA', 'America/Toronto'],
  ['807', 'ON', 'CA', 'America/Toronto', 'guess'], // Thunder Bay Eastern; Kenora and the west Central
  ['263 354 367 418 438 450 468 514 579 581 819 873', 'QC', 'CA', 'America/Toronto'],
  ['306 474 639', 'SK', 'CA', 'America/Regina'], // no daylight saving time
  ['867', null, 'CA', 'America/Edmonton', 'guess'], // Yukon, Northwest Territories and Nunavut
  // Caribbean and Atlantic members, by country
  ['242', null, 'BS', 'America/Nassau'],
  ['246', null, 'BB', 'America/Barbados'],
  ['264', null, 'AI', 'America/Anguilla'],
  ['268', null, 'AG', 'America/Antigua'],
  ['284', null, 'VG', 'America/Tortola'],
  ['345', null, 'KY', 'America/Cayman'],
  ['441', null, 'BM', 'Atlantic/Bermuda'],
  ['473', null, 'GD', 'America/Grenada'],
  ['649', null, 'TC', 'America/Grand_Turk'],
  ['658 876', null, 'JM', 'America/Jamaica'],
  ['664', null, 'MS', 'America/Montserrat'],
  ['721', null, 'SX', 'America/Lower_Princes'],
  ['758', null, 'LC', 'America/St_Lucia'],
  ['767', null, 'DM', 'America/Dominica'],
  ['784', null, 'VC', 'America/St_Vincent'],
  ['809 829 849', null, 'DO', 'America/Santo_Domingo'],
  ['868', null, 'TT', 'America/Port_of_Spain'],
  ['869', null, 'KN', 'America/St_Kitts'],
];

function build(rows: readonly Row[]): ReadonlyMap<string, NanpArea> {
  const map = new Map<string, NanpArea>();
  for (const [codes, region, country, zone, guess] of rows) {
    for (const code of codes.split(' ')) {
      // A code listed twice would silently take the later row; the table is small enough to refuse.
      if (map.has(code)) throw new Error(`NANP area code ${code} is listed twice`);
      map.set(code, { region, country, zone, guess: guess === 'guess' });
    }
  }
  return map;
}

export const NANP_AREA_CODES: ReadonlyMap<string, NanpArea> = build(ROWS);

/**
 * Codes that name a service, not a place: toll-free (8xx), premium (900), personal (5xx),
 * government (710), Canadian non-geographic (600, 622) and the other N00/easily-recognised
 * codes. A number here says nothing about where its owner lives.
 */
export function isNonGeographicNpa(npa: string): boolean {
  if (/^[2-9](00|22|33|44|55|66|77|88)$/.test(npa)) return true;
  return ['456', '710', '880', '881', '882', '883', '884', '885', '886', '887', '889'].includes(npa);
}
